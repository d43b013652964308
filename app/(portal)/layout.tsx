import { TopBar } from "@/app/_components/top-bar";
import { requireUser } from "@/lib/auth/guards";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <TopBar user={user} />
      <main className="mx-auto max-w-4xl px-6 py-8">{children}</main>
    </>
  );
}
