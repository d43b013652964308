import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, Card, DateTime, EmptyState, LinkButton, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { groupNames, listSyncRuns } from "@/lib/db/directory-sync";
import { findLdapConfig } from "@/lib/db/ldap-configs";
import { describeChange } from "@/lib/directory-sync/describe";
import type { UserChange } from "@/lib/directory-sync/plan";
import { ApplyHeldButton, SyncButtons } from "../../_components/config-row-actions";

export const metadata = { title: "Sync history · LDAP Portal" };

const OUTCOME_TONE = {
  applied: "success",
  preview: "info",
  held: "danger",
  failed: "danger",
  running: "neutral",
} as const;

type Run = Awaited<ReturnType<typeof listSyncRuns>>[number];

function duration(run: Run): string {
  if (!run.finishedAt) return "—";
  const ms = run.finishedAt.getTime() - run.startedAt.getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  return <Badge tone={OUTCOME_TONE[outcome as keyof typeof OUTCOME_TONE] ?? "neutral"}>{outcome}</Badge>;
}

export default async function SyncHistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ run?: string }>;
}) {
  await requireAdmin();
  const [{ id }, { run: runId }] = await Promise.all([params, searchParams]);
  const config = await findLdapConfig(id);
  if (!config) notFound();
  const [runs, names] = await Promise.all([listSyncRuns(id), groupNames()]);
  const shown = runs.find((run) => run.id === runId);
  const latestHeld = runs[0]?.outcome === "held" ? runs[0] : undefined;
  return (
    <div>
      <PageHeader
        title={`Sync history: ${config.name}`}
        description={`Every ${config.syncIntervalMinutes > 0 ? `${config.syncIntervalMinutes} minutes` : "time an administrator asks (scheduled sync off)"}, this configuration's users are looked up in the directory; a run that would disable more than ${config.maxDisableSharePercent} % of them, or meets an uncertain answer, is held and changes nothing.`}
        actions={
          <>
            <SyncButtons id={id} name={config.name} />
            <LinkButton href="/admin/authentication/ldap">Back to LDAP</LinkButton>
          </>
        }
      />
      {shown && (
        <Card className="mb-6">
          <h2 className="font-medium" id="run-details">
            Run of <DateTime value={shown.startedAt} /> <OutcomeBadge outcome={shown.outcome} />
          </h2>
          {shown.reason && <p className="mt-2 text-sm text-slate-700">{shown.reason}</p>}
          <p className="mt-2 text-sm text-slate-600">
            {shown.usersChecked} users checked: {shown.disabled} disabled, {shown.reenabled} re-enabled,{" "}
            {shown.membershipChanges} membership changes
            {shown.outcome === "applied" ? "." : " (not applied)."}
          </p>
          <ChangeList changes={JSON.parse(shown.plan) as UserChange[]} names={names} />
          {latestHeld?.id === shown.id && (
            <div className="mt-4 flex items-center gap-3">
              <ApplyHeldButton id={id} />
              <span className="text-sm text-slate-600">
                Runs the sync again now and applies it past the Max Disable Share (never past an uncertain answer).
              </span>
            </div>
          )}
        </Card>
      )}
      {runs.length === 0 ? (
        <EmptyState title="No sync yet">Use Sync Now or Preview, or wait for the scheduled sync.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                {[
                  "Started",
                  "Trigger",
                  "Duration",
                  "Checked",
                  "Disabled",
                  "Re-enabled",
                  "Membership changes",
                  "Outcome",
                ].map((heading) => (
                  <th key={heading} className="px-4 py-2 font-medium">
                    {heading}
                  </th>
                ))}
                <th className="px-4 py-2 font-medium">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} className="border-t border-slate-100 align-top" data-testid="sync-run-row">
                  <td className="px-4 py-2">
                    <DateTime value={run.startedAt} />
                  </td>
                  <td className="px-4 py-2">{run.trigger}</td>
                  <td className="px-4 py-2">{duration(run)}</td>
                  <td className="px-4 py-2">{run.usersChecked}</td>
                  <td className="px-4 py-2">{run.disabled}</td>
                  <td className="px-4 py-2">{run.reenabled}</td>
                  <td className="px-4 py-2">{run.membershipChanges}</td>
                  <td className="px-4 py-2">
                    <OutcomeBadge outcome={run.outcome} />
                    {run.reason && <div className="mt-1 max-w-md text-xs text-slate-500">{run.reason}</div>}
                  </td>
                  <td className="px-4 py-2">
                    <Link className="text-blue-700 underline" href={`?run=${run.id}#run-details`}>
                      Details
                    </Link>
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

function ChangeList({ changes, names }: { changes: UserChange[]; names: ReadonlyMap<string, string> }) {
  if (changes.length === 0) return <p className="mt-2 text-sm text-slate-600">No user changes.</p>;
  return (
    <ul className="mt-3 space-y-1 text-sm" aria-label="Changes">
      {changes.map((change) => (
        <li key={change.userId}>
          <span className="font-medium">{change.username}</span>: {describeChange(change, names)}
        </li>
      ))}
    </ul>
  );
}
