import { requireAdmin } from "@/lib/auth/guards";

export const metadata = { title: "Users · LDAP Portal" };

export default async function Page() {
  await requireAdmin();
  return (
    <div>
      <h1 className="text-2xl font-semibold">Users</h1>
      <p className="mt-2 text-slate-600">This page is being built.</p>
    </div>
  );
}
