import { requireAdmin } from "@/lib/auth/guards";

export const metadata = { title: "Authentication → LDAP · LDAP Portal" };

export default async function Page() {
  await requireAdmin();
  return (
    <div>
      <h1 className="text-2xl font-semibold">Authentication → LDAP</h1>
      <p className="mt-2 text-slate-600">This page is being built.</p>
    </div>
  );
}
