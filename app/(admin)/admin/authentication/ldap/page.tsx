import { Badge, EmptyState, LinkButton, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { listLdapConfigs } from "@/lib/db/ldap-configs";
import { splitList } from "@/lib/ldap/list";
import { domainsOf } from "@/lib/ldap/domains";
import { configurationHealthById } from "@/lib/observability/overview";
import { ConfigRowActions, EnabledToggle } from "./_components/config-row-actions";
import { HealthBadge } from "./_components/health-badge";

export const metadata = { title: "Authentication → LDAP · LDAP Portal" };

export default async function LdapConfigsPage({ searchParams }: { searchParams: Promise<{ saved?: string }> }) {
  await requireAdmin();
  const [configs, health, { saved }] = await Promise.all([listLdapConfigs(), configurationHealthById(), searchParams]);
  return (
    <div>
      <PageHeader
        title="Authentication → LDAP"
        description="Directories users sign in with. A login user@domain goes to the configurations whose Search Base DCs (or alternate domains) match the domain."
        actions={
          <LinkButton href="/admin/authentication/ldap/new" variant="primary">
            Create New Configuration
          </LinkButton>
        }
      />
      {saved && (
        <p role="status" className="mb-4 rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
          Saved “{saved}”. Use Test LDAP Connection to check it with a real account.
        </p>
      )}
      {configs.length === 0 ? (
        <EmptyState title="No LDAP configuration yet">
          Create one with “Create New Configuration”: pick the Active Directory, OpenLDAP or 389 DS preset, then test it
          with a known user.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">Health</th>
                <th className="px-4 py-2 font-medium">URL</th>
                <th className="px-4 py-2 font-medium">Domains</th>
                <th className="px-4 py-2 font-medium">Enabled</th>
                <th className="px-4 py-2 font-medium">Last test</th>
                <th className="px-4 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {configs.map((config) => (
                <tr key={config.id} className="border-t border-slate-100 align-top" data-testid="ldap-config-row">
                  <td className="px-4 py-3 font-medium">{config.name}</td>
                  <td className="px-4 py-3">
                    {health.get(config.id) && <HealthBadge health={health.get(config.id)!.health} />}
                  </td>
                  <td className="px-4 py-3 font-mono text-xs">
                    {[config.url, ...splitList(config.failoverUrls)].map((url) => (
                      <div key={url}>{url}</div>
                    ))}
                  </td>
                  <td className="px-4 py-3">
                    {domainsOf(config)
                      .map((domain) => (domain === "*" ? "(no domain)" : `@${domain}`))
                      .join(", ") || "—"}
                  </td>
                  <td className="px-4 py-3">
                    <EnabledToggle id={config.id} name={config.name} enabled={config.enabled} />
                  </td>
                  <td className="px-4 py-3">
                    {config.lastTestAt ? (
                      <>
                        <Badge tone={config.lastTestOk ? "success" : "danger"}>
                          {config.lastTestOk ? "Passed" : "Failed"}
                        </Badge>
                        <div className="mt-1 text-xs text-slate-500">{config.lastTestSummary}</div>
                        <div className="text-xs text-slate-500">
                          {config.lastTestAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                        </div>
                      </>
                    ) : (
                      <span className="text-slate-500">Never tested</span>
                    )}
                  </td>
                  <td className="px-4 py-3">
                    <ConfigRowActions id={config.id} name={config.name} userCount={config._count.users} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
