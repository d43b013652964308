import { Badge, DateTime } from "@/app/_components/ui";
import type { listAuditEvents } from "@/lib/db/audit-log";

export type AuditEvent = Awaited<ReturnType<typeof listAuditEvents>>["events"][number];

const COLUMNS = ["Time", "Actor", "Action", "Target", "Outcome", "Details"] as const;

/** Pretty JSON for display; the stored text as-is when it is not JSON. */
function prettyDetails(details: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(details);
    if (parsed === null || (typeof parsed === "object" && Object.keys(parsed).length === 0)) return undefined;
    return JSON.stringify(parsed, null, 2);
  } catch {
    return details.trim() || undefined;
  }
}

/** An event's details, folded away behind "Show"; a dash when it has none. */
function AuditDetails({ details }: { details: string | undefined }) {
  if (!details) return <span className="text-slate-400">—</span>;
  return (
    <details>
      <summary className="cursor-pointer text-blue-700">Show</summary>
      <pre className="mt-1 max-w-md overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all">
        {details}
      </pre>
    </details>
  );
}

function AuditRow({ event }: { event: AuditEvent }) {
  return (
    <tr className="border-t border-slate-100 align-top" data-testid="audit-row">
      <td className="whitespace-nowrap px-3 py-2 text-slate-600">
        <DateTime value={event.at} />
      </td>
      <td className="px-3 py-2 break-all">{event.actor}</td>
      <td className="px-3 py-2 font-mono text-xs">{event.action}</td>
      <td className="px-3 py-2 break-all">{event.target ?? "—"}</td>
      <td className="px-3 py-2">
        {event.outcome === "success" ? (
          <Badge tone="success">success</Badge>
        ) : (
          <Badge tone="danger">{event.outcome}</Badge>
        )}
      </td>
      <td className="px-3 py-2">
        <AuditDetails details={prettyDetails(event.details)} />
      </td>
    </tr>
  );
}

/** One page of audit events, newest first. */
export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col" className="px-3 py-2 font-medium">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <AuditRow key={event.id} event={event} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
