import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { findLdapConfig, hasStoredSecret, toLdapConfigInput } from "@/lib/db/ldap-configs";
import { LdapConfigForm } from "../../_components/ldap-config-form";

export const metadata = { title: "Edit LDAP configuration · LDAP Portal" };

export default async function EditLdapConfigPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const config = await findLdapConfig(id);
  if (!config) notFound();
  return (
    <div>
      <PageHeader title={`Edit “${config.name}”`} />
      {/* The stored password never reaches the browser: the form gets an empty field and a flag. */}
      <LdapConfigForm
        id={config.id}
        initial={toLdapConfigInput(config)}
        hasStoredPassword={await hasStoredSecret(config.id)}
      />
    </div>
  );
}
