import Link from "next/link";
import { Card, DateTime, EmptyState, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { adminOverview, type ConfigurationHealth } from "@/lib/observability/overview";
import { HealthBadge } from "./authentication/ldap/_components/health-badge";
import { SignInChart } from "./_components/sign-in-chart";

export const metadata = { title: "Admin · LDAP Portal" };

function latency(ms: number | undefined, operations: number) {
  if (ms === undefined) return "No LDAP operation in the last 24 hours";
  const value = ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
  return `≈ ${value} ms (${operations} operation${operations === 1 ? "" : "s"})`;
}

function HealthCard({ config }: { config: ConfigurationHealth }) {
  const headingId = `health-${config.id}`;
  return (
    <Card className="!p-4">
      <section aria-labelledby={headingId} data-testid="directory-health">
        <div className="flex items-start justify-between gap-2">
          <h3 id={headingId} className="font-medium">
            <Link className="hover:underline" href={`/admin/authentication/ldap/${config.id}/edit`}>
              {config.name}
            </Link>
            {!config.enabled && <span className="ml-2 text-xs font-normal text-slate-500">(disabled)</span>}
          </h3>
          <HealthBadge health={config.health} />
        </div>
        <ul className="mt-2 list-disc pl-5 text-xs text-slate-600">
          {config.health.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-500">Last test</dt>
          <dd>
            {config.lastTest ? (
              <>
                {config.lastTest.ok ? "Passed" : "Failed"}, <DateTime value={config.lastTest.at} />
              </>
            ) : (
              "Never tested"
            )}
          </dd>
          <dt className="text-slate-500">Last sync</dt>
          <dd>
            {config.lastSync ? (
              <>
                {config.lastSync.outcome}, <DateTime value={config.lastSync.at} />{" "}
                <Link className="text-blue-700 underline" href={`/admin/authentication/ldap/${config.id}/sync`}>
                  History
                </Link>
              </>
            ) : (
              "No sync yet"
            )}
          </dd>
          <dt className="text-slate-500">p95 LDAP latency</dt>
          <dd>{latency(config.p95Ms, config.operations)}</dd>
          <dt className="text-slate-500">URL in use</dt>
          <dd className="min-w-0 break-all font-mono text-xs leading-5">
            {config.urlInUse ? (
              config.urlInUse.url
            ) : (
              <span className="font-sans">No connection in the last 24 hours</span>
            )}
            {config.lastFailoverAt && (
              <div className="font-sans text-slate-600">
                Last failover <DateTime value={config.lastFailoverAt} />
              </div>
            )}
          </dd>
        </dl>
      </section>
    </Card>
  );
}

export default async function AdminHome() {
  await requireAdmin();
  const { hours, series, configurations } = await adminOverview();
  return (
    <div>
      <PageHeader
        title="Administration"
        description={
          <>
            Connect a directory under{" "}
            <Link className="text-blue-700 underline" href="/admin/authentication/ldap">
              Authentication → LDAP
            </Link>
            , then map its groups to app groups under{" "}
            <Link className="text-blue-700 underline" href="/admin/groups">
              Groups
            </Link>
            .
          </>
        }
      />
      <Card className="mb-6">
        <h2 className="mb-3 text-lg font-semibold">Sign-ins, last 24 hours</h2>
        {series.length === 0 ? (
          <p className="text-sm text-slate-600">
            No sign-ins in the last 24 hours. Each instance adds its counts every minute.
          </p>
        ) : (
          <SignInChart series={series} hours={hours} />
        )}
      </Card>
      <h2 className="mb-3 text-lg font-semibold">Directory health</h2>
      {configurations.length === 0 ? (
        <EmptyState title="No LDAP configuration yet">
          Create one under Authentication → LDAP; its health shows here once it is tested, synced or used.
        </EmptyState>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          {configurations.map((config) => (
            <HealthCard key={config.id} config={config} />
          ))}
        </div>
      )}
    </div>
  );
}
