import { buttonClass } from "@/app/_components/ui";

/** The export route's URL for the filters in force. */
function exportHref(filtersQuery: string, format: "csv" | "jsonl"): string {
  return `/admin/audit/export?format=${format}${filtersQuery ? `&${filtersQuery}` : ""}`;
}

/**
 * Downloads of every event the filters match (not only this page). Plain links: the route answers
 * with an attachment, so no script is needed.
 */
export function AuditDownloads({ filtersQuery, total }: { filtersQuery: string; total: number }) {
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="text-slate-600">
        All {total} matching event{total === 1 ? "" : "s"}:
      </span>
      <a href={exportHref(filtersQuery, "csv")} className={buttonClass("secondary")}>
        Download CSV
      </a>
      <a href={exportHref(filtersQuery, "jsonl")} className={buttonClass("secondary")}>
        Download JSON lines
      </a>
    </div>
  );
}
