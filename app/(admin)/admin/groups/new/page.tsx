import { Card, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { listGroupsForAdmin } from "@/lib/db/group-admin";
import { listLdapConfigs } from "@/lib/db/ldap-configs";
import { GroupForm } from "../_components/group-form";

export const metadata = { title: "Create Group · LDAP Portal" };

/** The smallest multiple of 10 no group uses yet: a sensible default the admin can change. */
function freePriority(used: Set<number>): number {
  let priority = 10;
  while (used.has(priority)) priority += 10;
  return priority;
}

export default async function NewGroupPage() {
  await requireAdmin();
  const [groups, configs] = await Promise.all([listGroupsForAdmin(), listLdapConfigs()]);
  return (
    <div>
      <PageHeader
        title="Create Group"
        description="Name the group, set its priority and, if it mirrors a directory group, its LDAP Group DN."
      />
      <Card>
        <GroupForm
          defaults={{
            name: "",
            description: "",
            priority: freePriority(new Set(groups.map((group) => group.priority))),
            ldapMappings: [{ configId: configs.length === 1 ? configs[0]!.id : "", dn: "" }],
            settings: [],
          }}
          ldapConfigs={configs.map((config) => ({ id: config.id, name: config.name, enabled: config.enabled }))}
        />
      </Card>
    </div>
  );
}
