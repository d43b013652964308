import Link from "next/link";
import { buttonClass, inputClass } from "@/app/_components/ui";

/** Narrows the log to one kind of event; a plain GET form, so the filter lives in the URL. */
export function AuditFilter({ kind, kinds }: { kind: string | undefined; kinds: string[] }) {
  return (
    <form method="get" action="/admin/audit" className="mb-4 flex items-end gap-2">
      <div>
        <label htmlFor="audit-kind" className="block text-sm font-medium">
          Kind
        </label>
        <select id="audit-kind" name="kind" defaultValue={kind ?? ""} className={`${inputClass} min-w-48`}>
          <option value="">All kinds</option>
          {kinds.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass("secondary")}>
        Filter
      </button>
      {kind && (
        <Link href="/admin/audit" className="px-2 py-1.5 text-sm text-blue-700 hover:underline">
          Clear
        </Link>
      )}
    </form>
  );
}
