import { EndSessionsButton } from "@/app/_components/end-sessions-button";
import { SessionsTable } from "@/app/_components/sessions-table";
import { requireUser } from "@/lib/auth/guards";
import { factorsOf, secondFactorState } from "@/lib/db/second-factors";
import { sessionsOf } from "@/lib/db/sessions";
import { profileOf } from "@/lib/db/users";
import { effectiveSettings } from "@/lib/settings";
import { signOutOtherSessionsAction } from "./actions";
import { SecondFactorsSection } from "./second-factors-section";

export const metadata = { title: "Profile · LDAP Portal" };

export default async function ProfilePage() {
  const current = await requireUser();
  const [profile, sessions, secondFactors, secondFactor] = await Promise.all([
    profileOf(current.id),
    sessionsOf(current.id, current.sessionId),
    factorsOf(current.id),
    secondFactorState(current.id),
  ]);
  if (!profile) return null;
  const { user, groups } = profile;
  const settings = effectiveSettings(groups);
  const source = user.source === "ldap" ? `LDAP (${user.ldapConfig?.name ?? "configuration deleted"})` : "Local";

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Profile</h1>
      <section aria-labelledby="account-heading" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="account-heading" className="text-lg font-medium">
          Account
        </h2>
        <dl className="mt-4 grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Username</dt>
          <dd data-testid="profile-username">{user.username}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd data-testid="profile-email">{user.email ?? "—"}</dd>
          <dt className="text-slate-500">Source</dt>
          <dd data-testid="profile-source">{source}</dd>
          <dt className="text-slate-500">Last sign-in</dt>
          <dd>{user.lastLoginAt?.toISOString() ?? "—"}</dd>
        </dl>
      </section>

      <section aria-labelledby="groups-heading" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="groups-heading" className="text-lg font-medium">
          Groups
        </h2>
        <table className="mt-4 w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 font-normal">Name</th>
              <th className="py-1 font-normal">Description</th>
              <th className="py-1 font-normal">Priority</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr key={group.id} className="border-t border-slate-100" data-testid="profile-group">
                <td className="py-2 font-medium">{group.name}</td>
                <td className="py-2 text-slate-600">{group.description}</td>
                <td className="py-2">{group.priority}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="second-factor-heading" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="second-factor-heading" className="text-lg font-medium">
          Two-factor sign-in
        </h2>
        <SecondFactorsSection
          factors={secondFactors.factors}
          recoveryCodesLeft={secondFactors.recoveryCodesLeft}
          required={secondFactor.required}
        />
      </section>

      <section aria-labelledby="sessions-heading" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="sessions-heading" className="text-lg font-medium">
          Sessions
        </h2>
        <SessionsTable sessions={sessions} />
        <EndSessionsButton
          action={signOutOtherSessionsAction}
          label="Sign out other sessions"
          disabled={sessions.every((session) => session.current)}
        />
      </section>

      <section aria-labelledby="settings-heading" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="settings-heading" className="text-lg font-medium">
          Effective settings
        </h2>
        {settings.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">None of your groups sets anything yet.</p>
        ) : (
          <table className="mt-4 w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 font-normal">Setting</th>
                <th className="py-1 font-normal">Value</th>
                <th className="py-1 font-normal">From group</th>
              </tr>
            </thead>
            <tbody>
              {settings.map((setting) => (
                <tr key={setting.key} className="border-t border-slate-100">
                  <td className="py-2 font-mono">{setting.key}</td>
                  <td className="py-2 font-mono">{setting.value}</td>
                  <td className="py-2">
                    {setting.fromGroup}
                    {setting.overridden.length > 0 && (
                      <span className="text-slate-500">
                        {" "}
                        (overrides {setting.overridden.map((o) => o.group).join(", ")})
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
