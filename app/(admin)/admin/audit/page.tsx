import Link from "next/link";
import { Badge, buttonClass, DateTime, EmptyState, inputClass, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { AUDIT_PAGE_SIZE, listAuditEvents, listAuditKinds } from "@/lib/db/audit-log";

export const metadata = { title: "Audit · LDAP Portal" };

type Query = { kind?: string | string[]; page?: string | string[] };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

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

function pageHref(kind: string | undefined, page: number): string {
  const query = new URLSearchParams();
  if (kind) query.set("kind", kind);
  if (page > 1) query.set("page", String(page));
  const text = query.toString();
  return text ? `/admin/audit?${text}` : "/admin/audit";
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Query> }) {
  await requireAdmin();
  const query = await searchParams;
  const rawKind = single(query.kind)?.trim();
  const kind = rawKind && /^[a-z0-9_]{1,40}$/.test(rawKind) ? rawKind : undefined;
  const requestedPage = Number.parseInt(single(query.page) ?? "1", 10);
  const [{ events, total, page, pageCount }, kinds] = await Promise.all([
    listAuditEvents({ kind, page: Number.isFinite(requestedPage) ? requestedPage : 1 }),
    listAuditKinds(),
  ]);
  const first = total === 0 ? 0 : (page - 1) * AUDIT_PAGE_SIZE + 1;
  const last = Math.min(total, page * AUDIT_PAGE_SIZE);

  return (
    <div>
      <PageHeader
        title="Audit"
        description="Who did what, newest first. Details never hold passwords or bind secrets."
      />

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

      {events.length === 0 ? (
        <EmptyState title={kind ? `No ${kind} events yet` : "No events yet"}>
          {kind
            ? "Choose another kind, or All kinds."
            : "Sign-ins and every change made in the admin area are recorded here."}
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" data-testid="audit-range">
            {first}–{last} of {total}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Time
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Actor
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Action
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Target
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Outcome
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Details
                  </th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => {
                  const details = prettyDetails(event.details);
                  return (
                    <tr key={event.id} className="border-t border-slate-100 align-top" data-testid="audit-row">
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
                        {details ? (
                          <details>
                            <summary className="cursor-pointer text-blue-700">Show</summary>
                            <pre className="mt-1 max-w-md overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all">
                              {details}
                            </pre>
                          </details>
                        ) : (
                          <span className="text-slate-400">—</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm">
            {page > 1 ? (
              <Link href={pageHref(kind, page - 1)} className={buttonClass("secondary")} rel="prev">
                ← Newer
              </Link>
            ) : (
              <span />
            )}
            <span className="text-slate-600">
              Page {page} of {pageCount}
            </span>
            {page < pageCount ? (
              <Link href={pageHref(kind, page + 1)} className={buttonClass("secondary")} rel="next">
                Older →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        </>
      )}
    </div>
  );
}
