import { PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { LDAP_CONFIG_DEFAULTS } from "@/lib/ldap/config";
import { LdapConfigForm } from "../_components/ldap-config-form";

export const metadata = { title: "New LDAP configuration · LDAP Portal" };

export default async function NewLdapConfigPage() {
  await requireAdmin();
  return (
    <div>
      <PageHeader
        title="Create New Configuration"
        description="Start from a preset, fill in the server and the service account, then test with a known user."
      />
      <LdapConfigForm initial={LDAP_CONFIG_DEFAULTS} hasStoredPassword={false} />
    </div>
  );
}
