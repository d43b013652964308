import { EmptyState, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { AUDIT_PAGE_SIZE, listAuditEvents, listAuditKinds } from "@/lib/db/audit-log";
import { AuditFilter } from "./_components/audit-filter";
import { AuditPagination } from "./_components/audit-pagination";
import { AuditTable } from "./_components/audit-table";

export const metadata = { title: "Audit · LDAP Portal" };

type Query = { kind?: string | string[]; page?: string | string[] };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The kind filter (when well-formed) and the requested page from the URL. */
function readQuery(query: Query): { kind: string | undefined; page: number } {
  const rawKind = single(query.kind)?.trim();
  const kind = rawKind && /^[a-z0-9_]{1,40}$/.test(rawKind) ? rawKind : undefined;
  const requestedPage = Number.parseInt(single(query.page) ?? "1", 10);
  return { kind, page: Number.isFinite(requestedPage) ? requestedPage : 1 };
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Query> }) {
  await requireAdmin();
  const { kind, page: requestedPage } = readQuery(await searchParams);
  const [{ events, total, page, pageCount }, kinds] = await Promise.all([
    listAuditEvents({ kind, page: requestedPage }),
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
      <AuditFilter kind={kind} kinds={kinds} />
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
          <AuditTable events={events} />
          <AuditPagination kind={kind} page={page} pageCount={pageCount} />
        </>
      )}
    </div>
  );
}
