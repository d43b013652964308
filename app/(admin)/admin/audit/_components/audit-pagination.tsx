import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";

function pageHref(kind: string | undefined, page: number): string {
  const query = new URLSearchParams();
  if (kind) query.set("kind", kind);
  if (page > 1) query.set("page", String(page));
  const text = query.toString();
  return text ? `/admin/audit?${text}` : "/admin/audit";
}

/** Newer and Older links around "Page n of m", keeping the kind filter. */
export function AuditPagination({
  kind,
  page,
  pageCount,
}: {
  kind: string | undefined;
  page: number;
  pageCount: number;
}) {
  return (
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
  );
}
