import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { findLdapConfig, hasStoredSecret } from "@/lib/db/ldap-configs";
import type { LdapConfigInput } from "@/lib/validation/ldap-config";
import { LdapConfigForm } from "../../_components/ldap-config-form";

export const metadata = { title: "Edit LDAP configuration · LDAP Portal" };

export default async function EditLdapConfigPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const config = await findLdapConfig(id);
  if (!config) notFound();
  // The stored password never reaches the browser: the form gets an empty field and a flag.
  const initial: LdapConfigInput = {
    name: config.name,
    url: config.url,
    searchBase: config.searchBase,
    searchFilter: config.searchFilter,
    groupMembershipFilter: config.groupMembershipFilter,
    emailAttribute: config.emailAttribute,
    serviceAccountDn: config.serviceAccountDn,
    serviceAccountPassword: "",
    searchSubtree: config.searchSubtree,
    autoCreateAppUser: config.autoCreateAppUser,
    enabled: config.enabled,
    alternateDomains: config.alternateDomains,
    failoverUrls: config.failoverUrls,
    startTls: config.startTls,
    verifyCertificate: config.verifyCertificate,
    caCertificate: config.caCertificate ?? "",
    connectTimeoutMs: config.connectTimeoutMs,
    operationTimeoutMs: config.operationTimeoutMs,
    nestedGroups: config.nestedGroups,
    nestedGroupsCacheSeconds: config.nestedGroupsCacheSeconds,
    requiredGroupDn: config.requiredGroupDn,
    displayOrder: config.displayOrder,
  };
  return (
    <div>
      <PageHeader title={`Edit “${config.name}”`} />
      <LdapConfigForm id={config.id} initial={initial} hasStoredPassword={await hasStoredSecret(config.id)} />
    </div>
  );
}
