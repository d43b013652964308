import Link from "next/link";
import { Badge, DateTime, EmptyState, LinkButton, Notice, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { listUsersForAdmin } from "@/lib/db/user-admin";
import { RemoveMembershipButton } from "./_components/remove-membership-button";
import { sourceLabel } from "./_components/source-label";
import { AccountStatus } from "./_components/account-status";

export const metadata = { title: "Users · LDAP Portal" };

const NOTICES: Record<string, (name: string) => string> = {
  deleted: (name) => `User ${name} deleted.`,
};

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<{ notice?: string; name?: string }>;
}) {
  await requireAdmin();
  const [users, { notice, name }] = await Promise.all([listUsersForAdmin(), searchParams]);
  const noticeText = notice && name ? NOTICES[notice]?.(name) : undefined;

  return (
    <div>
      <PageHeader
        title="Users"
        description="Local accounts and the LDAP users who have signed in. Every user is also in All Users. Group changes apply at the user's next sign-in."
        actions={
          <LinkButton href="/admin/users/new" variant="primary">
            Create User
          </LinkButton>
        }
      />
      {noticeText && <Notice>{noticeText}</Notice>}
      {users.length === 0 ? (
        <EmptyState title="No users yet">
          Choose Create User to add a local account, or let LDAP users sign in.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Username
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Email
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Source
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Groups
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Last login
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Status
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} className="border-t border-slate-100 align-top" data-testid="user-row">
                  <td className="px-4 py-3 font-medium">
                    <Link href={`/admin/users/${user.id}`} className="text-blue-700 hover:underline">
                      {user.username}
                    </Link>
                  </td>
                  <td className="px-4 py-3 text-slate-600">{user.email ?? "—"}</td>
                  <td className="px-4 py-3">{sourceLabel(user)}</td>
                  <td className="px-4 py-3">
                    {user.memberships.length === 0 ? (
                      <span className="text-slate-400">—</span>
                    ) : (
                      <ul className="flex flex-wrap gap-1">
                        {user.memberships.map((membership) => (
                          <li
                            key={`${membership.group.id}-${membership.origin}`}
                            className="inline-flex flex-wrap items-center rounded bg-slate-100 px-2 py-0.5 text-xs"
                            data-testid="user-membership"
                          >
                            {membership.group.name}
                            {membership.origin === "ldap" ? (
                              <span className="ml-1">
                                <Badge tone="info">LDAP</Badge>
                              </span>
                            ) : (
                              <RemoveMembershipButton
                                userId={user.id}
                                username={user.username}
                                groupId={membership.group.id}
                                groupName={membership.group.name}
                              />
                            )}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                    <DateTime value={user.lastLoginAt} fallback="never" />
                  </td>
                  <td className="px-4 py-3">
                    <AccountStatus user={user} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
