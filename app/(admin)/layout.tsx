import Link from "next/link";
import { TopBar } from "@/app/_components/top-bar";
import { requireAdmin } from "@/lib/auth/guards";

const NAV = [
  { href: "/admin/authentication/ldap", label: "Authentication → LDAP" },
  { href: "/admin/groups", label: "Groups" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit" },
  { href: "/admin/configuration", label: "Configuration" },
];

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireAdmin();
  return (
    <>
      <TopBar user={user} />
      <div className="mx-auto flex max-w-6xl gap-8 px-6 py-8">
        <nav aria-label="Admin" className="w-56 shrink-0">
          <ul className="space-y-1 text-sm">
            {NAV.map((item) => (
              <li key={item.href}>
                <Link href={item.href} className="block rounded-md px-3 py-2 hover:bg-slate-200">
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </>
  );
}
