import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { listAssignableGroups } from "@/lib/db/group-admin";
import { factorsOf } from "@/lib/db/second-factors";
import { sessionsOf } from "@/lib/db/sessions";
import { findUserForAdmin } from "@/lib/db/user-admin";
import { UserAccountCard } from "../_components/user-account-card";
import { UserPasswordCard, UserStatusCard } from "../_components/user-action-cards";
import { UserGroupsCard } from "../_components/user-groups-card";
import { UserSecondFactorsCard } from "../_components/user-second-factors-card";
import { UserSessionsCard } from "../_components/user-sessions-card";

export const metadata = { title: "User · LDAP Portal" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdmin();
  const { id } = await params;
  const [user, assignable, sessions, secondFactors] = await Promise.all([
    findUserForAdmin(id),
    listAssignableGroups(),
    sessionsOf(id, admin.sessionId),
    factorsOf(id),
  ]);
  if (!user) notFound();

  return (
    <div className="space-y-6">
      <PageHeader
        title={user.username}
        description={
          <Link href="/admin/users" className="text-blue-700 hover:underline">
            ← All users
          </Link>
        }
      />
      <UserAccountCard user={user} />
      <UserGroupsCard user={user} assignable={assignable} />
      <UserPasswordCard user={user} />
      <UserSecondFactorsCard userId={user.id} username={user.username} {...secondFactors} />
      <UserSessionsCard userId={user.id} sessions={sessions} />
      <UserStatusCard user={user} isSelf={user.id === admin.id} />
    </div>
  );
}
