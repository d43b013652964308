import { buttonClass, Card, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { ImportForm } from "./_components/import-form";

export const metadata = { title: "Configuration · LDAP Portal" };

export default async function ConfigurationPage() {
  await requireAdmin();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Configuration"
        description="The LDAP configurations and groups (with their mappings and settings) as one JSON document: to keep in version control, to copy to another portal, or to set one up at start with PORTAL_PROVISION_FILE."
      />
      <Card>
        <h2 className="text-lg font-semibold">Export</h2>
        <p className="mt-1 text-sm text-slate-600">
          Every configuration and group as they are now. The document holds no password: before importing it elsewhere,
          give each configuration with a Service Account DN a <code>&quot;serviceAccountPasswordEnv&quot;</code>, the
          name of the environment variable (of the importing portal) that holds its password.
        </p>
        {/* A file, not a page: a plain link to the route handler (which checks the administrator). */}
        <a href="/admin/configuration/export" download className={`mt-4 ${buttonClass("primary")}`}>
          Download export
        </a>
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">Import</h2>
        <p className="mt-1 text-sm text-slate-600">
          Configurations and groups are matched by name (the built-in groups by their systemKey): those that exist are
          updated, the others created. Nothing is deleted. Everything is checked before anything is written, and all of
          it is written together.
        </p>
        <ImportForm />
      </Card>
    </div>
  );
}
