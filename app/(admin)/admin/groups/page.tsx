import { Badge, EmptyState, LinkButton, Notice, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { listGroupsForAdmin } from "@/lib/db/group-admin";
import { DeleteGroupButton } from "./_components/delete-group-button";

export const metadata = { title: "Groups · LDAP Portal" };

const NOTICES: Record<string, (name: string) => string> = {
  created: (name) => `Group ${name} created.`,
  updated: (name) => `Group ${name} saved.`,
  deleted: (name) => `Group ${name} deleted.`,
};

export default async function GroupsPage({
  searchParams,
}: {
  searchParams: Promise<{ notice?: string; name?: string }>;
}) {
  await requireAdmin();
  const [groups, { notice, name }] = await Promise.all([listGroupsForAdmin(), searchParams]);
  const noticeText = notice && name ? NOTICES[notice]?.(name) : undefined;
  const customCount = groups.filter((group) => !group.systemKey).length;

  return (
    <div>
      <PageHeader
        title="Groups"
        description="Users get the settings of their groups; the lower priority number wins. Map a group to LDAP groups to fill it at each sign-in."
        actions={
          <LinkButton href="/admin/groups/new" variant="primary">
            Create Group
          </LinkButton>
        }
      />
      {noticeText && <Notice>{noticeText}</Notice>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Description
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Priority
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Members
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                LDAP Group
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr key={group.id} className="border-t border-slate-100 align-top" data-testid="group-row">
                <td className="px-4 py-3 font-medium">
                  {group.name} {group.systemKey && <Badge>System</Badge>}
                </td>
                <td className="px-4 py-3 text-slate-600">{group.description || "—"}</td>
                <td className="px-4 py-3 tabular-nums">{group.priority}</td>
                <td className="px-4 py-3 tabular-nums">{group.memberCount}</td>
                <td className="px-4 py-3">
                  {group.ldapMappings.length === 0 ? (
                    <span className="text-slate-400">—</span>
                  ) : (
                    <ul className="space-y-1">
                      {group.ldapMappings.map((mapping) => (
                        <li key={mapping.id} className="break-all text-xs">
                          <span className="font-mono">{mapping.dn}</span>{" "}
                          <span className="text-slate-500">via {mapping.configName}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right">
                  <LinkButton href={`/admin/groups/${group.id}/edit`} variant="ghost" aria-label={`Edit ${group.name}`}>
                    Edit
                  </LinkButton>
                  {!group.systemKey && (
                    <DeleteGroupButton groupId={group.id} name={group.name} memberCount={group.memberCount} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {customCount === 0 && (
        <div className="mt-6">
          <EmptyState title="No groups of your own yet">
            Only the built-in groups exist. Choose <strong>Create Group</strong> to add one, for example “LDAP Group 1”
            mapped to CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core.
          </EmptyState>
        </div>
      )}
    </div>
  );
}
