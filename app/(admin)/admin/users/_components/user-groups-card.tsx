import { Badge, Card } from "@/app/_components/ui";
import { AddMembershipForm } from "./add-membership-form";
import type { AdminUser } from "./admin-user";
import { RemoveMembershipButton } from "./remove-membership-button";

type UserGroup = AdminUser["groups"][number];

/** How the user is in a group: everyone, LDAP, and/or manual (which an admin can remove here). */
function MembershipOrigins({ user, group }: { user: AdminUser; group: UserGroup }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {group.origins.includes("implicit") && <Badge>Everyone</Badge>}
      {group.origins.includes("ldap") && <Badge tone="info">LDAP</Badge>}
      {group.origins.includes("manual") && (
        <span className="inline-flex items-center rounded bg-slate-100 px-2 py-0.5 text-xs font-medium">
          Manual
          <RemoveMembershipButton userId={user.id} username={user.username} groupId={group.id} groupName={group.name} />
        </span>
      )}
    </span>
  );
}

/** The user's groups with how they got each one, and the form to add a manual membership. */
export function UserGroupsCard({ user, assignable }: { user: AdminUser; assignable: { id: string; name: string }[] }) {
  const manualGroupIds = new Set(user.memberships.filter((m) => m.origin === "manual").map((m) => m.group.id));
  return (
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
                <MembershipOrigins user={user} group={group} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="mt-4">
        <AddMembershipForm userId={user.id} groups={assignable.filter((group) => !manualGroupIds.has(group.id))} />
      </div>
    </Card>
  );
}
