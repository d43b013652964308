import { redirect } from "next/navigation";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { AUDIT_FILTER_FIELDS, auditFilterQuery, parseAuditFilters } from "@/lib/audit-export/filters";
import { requireAdmin } from "@/lib/auth/guards";
import { AUDIT_PAGE_SIZE, listAuditEvents, listAuditFilterChoices } from "@/lib/db/audit-log";
import { AuditDownloads } from "./_components/audit-downloads";
import { AuditFilter } from "./_components/audit-filter";
import { AuditPagination } from "./_components/audit-pagination";
import { AuditTable } from "./_components/audit-table";

export const metadata = { title: "Audit · LDAP Portal" };

type Query = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The form sends every field; empty ones are dropped from the URL so a filtered view bookmarks cleanly. */
function hasEmptyFilter(query: Query): boolean {
  return AUDIT_FILTER_FIELDS.some((field) => single(query[field])?.trim() === "");
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Query> }) {
  await requireAdmin();
  const query = await searchParams;
  const parsed = parseAuditFilters(query);
  const requestedPage = Number.parseInt(single(query.page) ?? "1", 10);
  const filtersQuery = auditFilterQuery(parsed.values);
  if (hasEmptyFilter(query)) {
    const clean = auditFilterQuery(parsed.values, requestedPage > 1 ? { page: String(requestedPage) } : {});
    redirect(clean.size > 0 ? `/admin/audit?${clean}` : "/admin/audit");
  }

  const choices = await listAuditFilterChoices();
  const filtered = filtersQuery.size > 0;
  const header = (
    <PageHeader
      title="Audit"
      description="Who did what, newest first. Details never hold passwords or bind secrets. Times are UTC."
    />
  );
  if (!parsed.ok) {
    return (
      <div>
        {header}
        <AuditFilter values={parsed.values} errors={parsed.errors} choices={choices} />
        <EmptyState title="No events listed">Correct the filters marked above, or clear them.</EmptyState>
      </div>
    );
  }

  const { events, total, page, pageCount } = await listAuditEvents({
    ...parsed.filters,
    page: Number.isFinite(requestedPage) ? requestedPage : 1,
  });
  const first = total === 0 ? 0 : (page - 1) * AUDIT_PAGE_SIZE + 1;
  const last = Math.min(total, page * AUDIT_PAGE_SIZE);
  const { kind } = parsed.filters;

  return (
    <div>
      {header}
      <AuditFilter values={parsed.values} errors={{}} choices={choices} />
      {events.length === 0 ? (
        <EmptyState
          title={
            filtered
              ? kind && filtersQuery.size === 1
                ? `No ${kind} events yet`
                : "No matching events"
              : "No events yet"
          }
        >
          {filtered
            ? "Widen the time range or choose other filters, or clear them."
            : "Sign-ins and every change made in the admin area are recorded here."}
        </EmptyState>
      ) : (
        <>
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-600" data-testid="audit-range">
              {first}–{last} of {total}
            </p>
            <AuditDownloads filtersQuery={filtersQuery.toString()} total={total} />
          </div>
          <AuditTable events={events} />
          <AuditPagination filtersQuery={filtersQuery.toString()} page={page} pageCount={pageCount} />
        </>
      )}
    </div>
  );
}
