import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/db/audit";
import {
  applySyncChanges,
  finishSyncRun,
  lastSyncStart,
  mappedGroupsOf,
  releaseSyncLease,
  startSyncRun,
  takeSyncLease,
  usersOfConfiguration,
  type SyncOutcome,
  type SyncTrigger,
} from "@/lib/db/directory-sync";
import { findLdapConfig, storedServicePassword, toEngineConfig } from "@/lib/db/ldap-configs";
import { isConnectionError, lookUpAccounts } from "@/lib/ldap";
import { SYNC_UNREACHABLE } from "@/lib/observability/directory-health";
import { componentLogger } from "@/lib/observability/logger.mjs";
import { metrics } from "@/lib/observability/metrics";
import { planSync, type SyncPlan } from "./plan";
import { auditUserChanges } from "./user-change-audit";

const log = componentLogger("directory-sync");

/** This process, as the holder of sync leases. */
const INSTANCE = `${process.pid}-${randomUUID()}`;
/** A run takes seconds; the lease outlives any run by far, and lapses when its instance died. */
const LEASE_MS = 10 * 60_000;

type StoredConfig = NonNullable<Awaited<ReturnType<typeof findLdapConfig>>>;

export interface SyncResult {
  runId?: string;
  outcome: SyncOutcome | "busy";
  /** Why it was held, failed or did not run. */
  reason?: string;
  plan?: SyncPlan;
  /** LDAP requests the look-up sent. */
  ldapRequests?: number;
}

export interface SyncRequest {
  trigger: SyncTrigger;
  /** Preview: plan and record, change nothing. */
  dryRun?: boolean;
  /** Apply even past the Max Disable Share (an administrator reviewed a held run). Uncertainty still holds. */
  overrideShare?: boolean;
  /** Who asked, for the audit log. */
  actor: string;
  /** Scheduled runs: skip when another instance already ran the sync this was due for. */
  dueAt?: Date;
}

/**
 * One sync of a configuration's app users: reads them, looks their entries up by directory id,
 * plans what a sign-in would change, and applies it unless the plan is held or this is a
 * preview. One instance at a time per configuration (a lease in the database).
 */
export async function syncConfiguration(configId: string, request: SyncRequest): Promise<SyncResult> {
  const row = await findLdapConfig(configId);
  if (!row) return { outcome: "failed", reason: "This LDAP configuration no longer exists." };
  const leased = !request.dryRun;
  if (leased && !(await takeSyncLease(configId, INSTANCE, new Date(Date.now() + LEASE_MS))))
    return { outcome: "busy", reason: "Another sync of this configuration is running." };
  if (request.dueAt) {
    const last = await lastSyncStart(configId);
    if (last && last >= request.dueAt) {
      await releaseSyncLease(configId, INSTANCE);
      return { outcome: "busy", reason: "Another instance ran this sync already." };
    }
  }
  const run = await startSyncRun(configId, request.dryRun ? "preview" : request.trigger);
  const started = performance.now();
  try {
    const result = await planAndApply(row, request);
    await finishSyncRun(run.id, result.outcome as SyncOutcome, result);
    observeRun(row.name, request, result, started);
    await audit(row.name, request, result);
    return { ...result, runId: run.id };
  } catch (error) {
    const reason = `The sync stopped: ${error instanceof Error ? error.message : String(error)}`;
    await finishSyncRun(run.id, "failed", { reason });
    observeRun(row.name, request, { outcome: "failed", reason }, started);
    await audit(row.name, request, { outcome: "failed", reason });
    return { runId: run.id, outcome: "failed", reason };
  } finally {
    if (leased) await releaseSyncLease(configId, INSTANCE);
  }
}

async function planAndApply(row: StoredConfig, request: SyncRequest): Promise<SyncResult> {
  const configId = row.id;
  const config = toEngineConfig(row, await storedServicePassword(configId));
  const users = await usersOfConfiguration(configId);
  const looked = await lookUpAccounts(
    config,
    users.map((user) => user.directoryId),
  );
  if (!looked.ok) {
    // Not reached at all (the admin home shows the directory as down), or reached and refused.
    const what = isConnectionError(looked.error) ? SYNC_UNREACHABLE : "The directory could not be read";
    return {
      outcome: "failed",
      reason: `${what}, so nothing was changed: ${looked.error.message}${looked.error.detail ? ` (${looked.error.detail})` : ""}`,
    };
  }
  const plan = planSync({
    users,
    accounts: looked.value.accounts,
    mappedGroupIds: await mappedGroupsOf(configId),
    maxDisableSharePercent: request.overrideShare ? 100 : row.maxDisableSharePercent,
  });
  const ldapRequests = looked.value.requests;
  if (request.dryRun) return { outcome: "preview", plan, ldapRequests };
  if (plan.held) return { outcome: "held", reason: plan.held, plan, ldapRequests };
  if (plan.changes.length > 0) await applySyncChanges(plan.changes);
  return { outcome: "applied", plan, ldapRequests };
}

/** The run's metrics and log line. */
function observeRun(configName: string, request: SyncRequest, result: SyncResult, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  const { syncRuns, syncSeconds } = metrics();
  syncRuns.labels(configName, result.outcome).inc();
  syncSeconds.labels(configName, result.outcome).observe(seconds);
  const { plan } = result;
  const fields = {
    config: configName,
    trigger: request.trigger,
    outcome: result.outcome,
    durationMs: Math.round(seconds * 1000),
    ...(result.reason ? { reason: result.reason } : {}),
    ...(plan ? { usersChecked: plan.usersChecked, disabled: plan.disabled, reenabled: plan.reenabled } : {}),
  };
  if (result.outcome === "failed" || result.outcome === "held") log.warn(fields, `directory sync ${result.outcome}`);
  else log.info(fields, `directory sync ${result.outcome}`);
}

/** One event per run, and one per user whose access changed. */
async function audit(configName: string, request: SyncRequest, result: SyncResult) {
  const { plan } = result;
  await recordAudit({
    actor: request.actor,
    action: request.dryRun ? "directory_sync.preview" : "directory_sync.run",
    target: configName,
    outcome: result.outcome === "failed" ? "failure" : "success",
    details: {
      trigger: request.trigger,
      result: result.outcome,
      ...(result.reason ? { reason: result.reason } : {}),
      ...(plan
        ? {
            usersChecked: plan.usersChecked,
            disabled: plan.disabled,
            reenabled: plan.reenabled,
            membershipChanges: plan.membershipChanges,
          }
        : {}),
    },
  });
  if (result.outcome === "applied" && plan) await auditUserChanges(request.actor, configName, plan.changes);
}
