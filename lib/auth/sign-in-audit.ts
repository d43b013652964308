import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit, recordFailedSignIn } from "@/lib/db/audit";
import { CONNECTION_ERROR_CODES, type LdapErrorCode } from "@/lib/ldap/errors";
import { componentLogger } from "@/lib/observability/logger.mjs";
import { metrics, type SignInResult } from "@/lib/observability/metrics";
import { configurationKey, statsBuffer, type StatsKey } from "@/lib/observability/stats";
import { addressBudget } from "./address-budget";

/**
 * The record of one sign-in attempt: the audit trail (successes always, failures within the
 * address's allowance), and, in memory, its metrics, the admin home's counts and one log line.
 */
export interface SignInAudit {
  success(details: Record<string, unknown>): Promise<void>;
  failure(details: Record<string, unknown>): Promise<void>;
}

const log = componentLogger("sign-in");

/** The configuration a sign-in is counted under: its name, "local" for local accounts, "none" otherwise. */
function configurationOf(details: Record<string, unknown>): { label: string; key: StatsKey } {
  const { configuration, configurations, source } = details;
  const name =
    typeof configuration === "string"
      ? configuration
      : Array.isArray(configurations) && typeof configurations[0] === "string"
        ? configurations[0]
        : undefined;
  if (name !== undefined) return { label: name, key: configurationKey(name) };
  return source === "local" ? { label: "local", key: "local" } : { label: "none", key: "none" };
}

function resultOf(outcome: "success" | "failure", reason: unknown): SignInResult {
  if (outcome === "success") return "success";
  if (reason === "throttled") return "throttled";
  return CONNECTION_ERROR_CODES.has(reason as LdapErrorCode) ? "unavailable" : "failure";
}

export function signInAudit(login: string, clientAddress: string, requestId: string = randomUUID()): SignInAudit {
  const started = performance.now();
  const entry = (outcome: "success" | "failure", details: Record<string, unknown>) => ({
    actor: login,
    action: "login",
    target: login,
    outcome,
    details: { ...details, clientAddress },
  });
  /** Counts and logs the outcome; nothing here reaches the database. */
  const observe = (outcome: "success" | "failure", details: Record<string, unknown>) => {
    const durationMs = Math.round(performance.now() - started);
    const { label, key } = configurationOf(details);
    const result = resultOf(outcome, details.reason);
    const { signIns, throttleRefusals } = metrics();
    signIns.labels(result, label).inc();
    if (result === "throttled") throttleRefusals.labels(details.scope === "address" ? "address" : "account").inc();
    statsBuffer().signIn(key, outcome === "success");
    const fields = {
      event: "sign_in",
      requestId,
      login,
      clientAddress,
      config: label,
      source: typeof details.source === "string" ? details.source : null,
      outcome: result,
      code: typeof details.reason === "string" ? details.reason : null,
      ...(typeof details.step === "string" ? { step: details.step } : {}),
      durationMs,
    };
    if (result === "unavailable") log.warn(fields, "sign-in not judged: the directory could not be reached");
    else log.info(fields, result === "success" ? "sign-in succeeded" : "sign-in refused");
  };
  return {
    success: async (details) => {
      observe("success", details);
      await recordAudit(entry("success", details));
    },
    // The allowance is per network, like the brake: an IPv6 /64 is one subscriber.
    failure: async (details) => {
      observe("failure", details);
      await recordFailedSignIn(entry("failure", details), addressBudget(clientAddress));
    },
  };
}
