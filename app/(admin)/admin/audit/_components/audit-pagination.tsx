import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";

function pageHref(filtersQuery: string, page: number): string {
  const query = new URLSearchParams(filtersQuery);
  if (page > 1) query.set("page", String(page));
  const text = query.toString();
  return text ? `/admin/audit?${text}` : "/admin/audit";
}

/** Newer and Older links around "Page n of m", keeping the filters. */
export function AuditPagination({
  filtersQuery,
  page,
  pageCount,
}: {
  /** The filters in force as a URL query ("action=login&outcome=failure"). */
  filtersQuery: string;
  page: number;
  pageCount: number;
}) {
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm">
      {page > 1 ? (
        <Link href={pageHref(filtersQuery, page - 1)} className={buttonClass("secondary")} rel="prev">
          ← Newer
        </Link>
      ) : (
        <span />
      )}
      <span className="text-slate-600">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link href={pageHref(filtersQuery, page + 1)} className={buttonClass("secondary")} rel="next">
          Older →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
