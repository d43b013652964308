import { Card, DateTime } from "@/app/_components/ui";
import type { AdminUser } from "./admin-user";
import { sourceLabel } from "./source-label";
import { AccountStatus } from "./account-status";

/** The account's facts: names, where it comes from, when it was created and last used, its status. */
export function UserAccountCard({ user }: { user: AdminUser }) {
  return (
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
          <AccountStatus user={user} />
        </dd>
      </dl>
    </Card>
  );
}
