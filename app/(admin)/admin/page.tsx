import Link from "next/link";
import { requireAdmin } from "@/lib/auth/guards";

export const metadata = { title: "Admin · LDAP Portal" };

export default async function AdminHome() {
  await requireAdmin();
  return (
    <div>
      <h1 className="text-2xl font-semibold">Administration</h1>
      <p className="mt-2 text-slate-600">
        Connect a directory under{" "}
        <Link className="text-blue-700 underline" href="/admin/authentication/ldap">
          Authentication → LDAP
        </Link>
        , then map its groups to app groups under{" "}
        <Link className="text-blue-700 underline" href="/admin/groups">
          Groups
        </Link>
        .
      </p>
    </div>
  );
}
