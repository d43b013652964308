import { Card } from "@/app/_components/ui";
import { AccountActions } from "./account-actions";
import type { AdminUser } from "./admin-user";
import { ResetPasswordForm } from "./reset-password-form";
import { sourceLabel } from "./source-label";

/** Resets a local user's password; an LDAP user's password belongs to the directory. */
export function UserPasswordCard({ user }: { user: AdminUser }) {
  return (
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
  );
}

/** Disables, enables or deletes the account; `isSelf` explains why the admin's own account refuses. */
export function UserStatusCard({ user, isSelf }: { user: AdminUser; isSelf: boolean }) {
  return (
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
  );
}
