import { notFound } from "next/navigation";
import { Badge, Card, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { findGroupForEdit } from "@/lib/db/group-admin";
import { listLdapConfigs } from "@/lib/db/ldap-configs";
import { GroupForm } from "../../_components/group-form";

export const metadata = { title: "Edit Group · LDAP Portal" };

export default async function EditGroupPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const [group, configs] = await Promise.all([findGroupForEdit(id), listLdapConfigs()]);
  if (!group) notFound();
  return (
    <div>
      <PageHeader
        title={`Edit ${group.name}`}
        description={
          group.systemKey ? (
            <>
              <Badge>System</Badge> A built-in group: it can be renamed but not deleted.
              {group.systemKey === "administrators" && " Map an LDAP group here to let its members use the admin area."}
            </>
          ) : undefined
        }
      />
      <Card>
        <GroupForm
          groupId={group.id}
          systemKey={group.systemKey}
          defaults={{
            name: group.name,
            description: group.description,
            priority: group.priority,
            ldapMappings:
              group.ldapMappings.length > 0
                ? group.ldapMappings.map((mapping) => ({ configId: mapping.ldapConfigId, dn: mapping.dn }))
                : [{ configId: configs.length === 1 ? configs[0]!.id : "", dn: "" }],
            settings: group.settings.map((setting) => ({ key: setting.key, value: setting.value })),
          }}
          ldapConfigs={configs.map((config) => ({ id: config.id, name: config.name, enabled: config.enabled }))}
        />
      </Card>
    </div>
  );
}
