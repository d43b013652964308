import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { LATENCY_BOUNDS_SECONDS } from "./latency";

/**
 * The portal's Prometheus metrics, served at /metrics (app/metrics/route.ts). Every name starts
 * with `ldap_portal_`; label values are bounded: configuration names (an administrator creates
 * them), operations, outcomes — never a username or an address. The process metrics
 * (`process_*`, `nodejs_*`) keep their standard names.
 */
export const METRIC_PREFIX = "ldap_portal_";

/** How a sign-in ended: signed in, refused (password, account, group), braked, or not judged (directory down). */
export type SignInResult = "success" | "failure" | "throttled" | "unavailable";
export type LdapOperation = "connect" | "bind" | "search" | "groups";
export type PoolKind = "service" | "bind";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    signIns: new Counter({
      name: `${METRIC_PREFIX}sign_ins_total`,
      help: 'Sign-in attempts by result and configuration ("local" for local accounts, "none" when no configuration took part).',
      labelNames: ["result", "config"] as const,
      registers,
    }),
    ldapOperationSeconds: new Histogram({
      name: `${METRIC_PREFIX}ldap_operation_seconds`,
      help: "LDAP operations by configuration and operation (connect, bind, search, groups), failed ones included.",
      labelNames: ["config", "operation"] as const,
      buckets: LATENCY_BOUNDS_SECONDS,
      registers,
    }),
    poolConnections: new Gauge({
      name: `${METRIC_PREFIX}ldap_pool_connections`,
      help: "Open pooled LDAP connections by configuration and pool (service: searches, bind: user binds).",
      labelNames: ["config", "pool"] as const,
      registers,
    }),
    poolWaits: new Counter({
      name: `${METRIC_PREFIX}ldap_pool_waits_total`,
      help: "Sign-ins that waited for a pooled LDAP connection because every one was busy.",
      labelNames: ["config", "pool"] as const,
      registers,
    }),
    poolWaitTimeouts: new Counter({
      name: `${METRIC_PREFIX}ldap_pool_wait_timeouts_total`,
      help: "Sign-ins that gave up waiting for a pooled LDAP connection.",
      labelNames: ["config", "pool"] as const,
      registers,
    }),
    failovers: new Counter({
      name: `${METRIC_PREFIX}ldap_failover_connections_total`,
      help: "New LDAP connections that a failover URL answered instead of the first URL.",
      labelNames: ["config"] as const,
      registers,
    }),
    syncRuns: new Counter({
      name: `${METRIC_PREFIX}directory_sync_runs_total`,
      help: "Directory sync runs by configuration and outcome (applied, held, failed, preview).",
      labelNames: ["config", "outcome"] as const,
      registers,
    }),
    syncSeconds: new Histogram({
      name: `${METRIC_PREFIX}directory_sync_duration_seconds`,
      help: "How long directory sync runs took, by configuration and outcome.",
      labelNames: ["config", "outcome"] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    throttleRefusals: new Counter({
      name: `${METRIC_PREFIX}sign_in_throttle_refusals_total`,
      help: "Sign-ins the brake refused before checking the password, by scope (address or account).",
      labelNames: ["scope"] as const,
      registers,
    }),
    statsFlushFailures: new Counter({
      name: `${METRIC_PREFIX}stats_flush_failures_total`,
      help: "Failed writes of the admin home's per-hour counts to the database (kept and retried).",
      registers,
    }),
  };
}

export type PortalMetrics = ReturnType<typeof createMetrics>;

// One registry per process: Next.js loads this module once per bundle (and again at a hot
// reload), and a metric registered twice would throw.
const METRICS = Symbol.for("ldap-portal.metrics");
const globalForMetrics = globalThis as unknown as { [METRICS]?: PortalMetrics };

export function metrics(): PortalMetrics {
  globalForMetrics[METRICS] ??= createMetrics();
  return globalForMetrics[METRICS];
}
