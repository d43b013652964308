import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, Card, DateTime, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { listAssignableGroups } from "@/lib/db/group-admin";
import { findUserForAdmin } from "@/lib/db/user-admin";
import { AccountActions } from "../_components/account-actions";
import { AddMembershipForm } from "../_components/add-membership-form";
import { RemoveMembershipButton } from "../_components/remove-membership-button";
import { ResetPasswordForm } from "../_components/reset-password-form";
import { sourceLabel } from "../_components/source-label";

export const metadata = { title: "User · LDAP Portal" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdmin();
  const { id } = await params;
  const [user, assignable] = await Promise.all([findUserForAdmin(id), listAssignableGroups()]);
  if (!user) notFound();
  const manualGroupIds = new Set(user.memberships.filter((m) => m.origin === "manual").map((m) => m.group.id));
  const isSelf = user.id === admin.id;

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

      <Card>
        <h2 className="text-lg font-medium">Account</h2>
        <dl className="mt-4 grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Username</dt>
          <dd>{user.username}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd>{user.email ?? "—"}</dd>
          {user.displayName && (
            <>
              <dt className="text-slate-500">Display name</dt>
              <dd>{user.displayName}</dd>
            </>
          )}
          <dt className="text-slate-500">Source</dt>
          <dd data-testid="user-source">{sourceLabel(user)}</dd>
          {user.lastDn && (
            <>
              <dt className="text-slate-500">Directory DN</dt>
              <dd className="break-all font-mono text-xs">{user.lastDn}</dd>
            </>
          )}
          <dt className="text-slate-500">Created</dt>
          <dd>
            <DateTime value={user.createdAt} />
          </dd>
          <dt className="text-slate-500">Last login</dt>
          <dd>
            <DateTime value={user.lastLoginAt} fallback="never" />
          </dd>
          <dt className="text-slate-500">Status</dt>
          <dd data-testid="user-status">
            {user.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}
          </dd>
        </dl>
      </Card>

      <Card>
        <h2 className="text-lg font-medium">Groups</h2>
        <p className="mt-1 text-sm text-slate-600">
          Memberships marked LDAP follow the directory at each sign-in; remove them there. Changes apply at the
          user&apos;s next sign-in.
        </p>
        <table className="mt-4 w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th scope="col" className="py-1 font-normal">
                Group
              </th>
              <th scope="col" className="py-1 font-normal">
                Priority
              </th>
              <th scope="col" className="py-1 font-normal">
                Membership
              </th>
            </tr>
          </thead>
          <tbody>
            {user.groups.map((group) => (
              <tr key={group.id} className="border-t border-slate-100" data-testid="user-group">
                <td className="py-2 font-medium">{group.name}</td>
                <td className="py-2 tabular-nums">{group.priority}</td>
                <td className="py-2">
                  <span className="inline-flex flex-wrap items-center gap-2">
                    {group.origins.includes("implicit") && <Badge>Everyone</Badge>}
                    {group.origins.includes("ldap") && <Badge tone="info">LDAP</Badge>}
                    {group.origins.includes("manual") && (
                      <span className="inline-flex items-center rounded bg-slate-100 px-2 py-0.5 text-xs font-medium">
                        Manual
                        <RemoveMembershipButton
                          userId={user.id}
                          username={user.username}
                          groupId={group.id}
                          groupName={group.name}
                        />
                      </span>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="mt-4">
          <AddMembershipForm userId={user.id} groups={assignable.filter((group) => !manualGroupIds.has(group.id))} />
        </div>
      </Card>

      <Card>
        <h2 className="text-lg font-medium">Password</h2>
        <div className="mt-3">
          {user.source === "local" ? (
            <ResetPasswordForm userId={user.id} />
          ) : (
            <p className="text-sm text-slate-600">
              This is an LDAP user: the password is managed in the directory ({sourceLabel(user)}), not here.
            </p>
          )}
        </div>
      </Card>

      <Card>
        <h2 className="text-lg font-medium">Account status</h2>
        {isSelf && (
          <p className="mt-1 text-sm text-slate-600">
            This is your own account: you cannot disable or delete it while signed in with it.
          </p>
        )}
        <div className="mt-3">
          <AccountActions userId={user.id} username={user.username} disabled={user.disabled} />
        </div>
      </Card>
    </div>
  );
}
