import "server-only";
import { metrics, type LdapOperation, type PoolKind } from "./metrics";
import { configurationKey, statsBuffer, type StatsKey } from "./stats";

/**
 * What the LDAP engine reports about one configuration's directory: each operation's latency
 * (Prometheus histogram and the admin home's per-hour buckets), which URL answered a new
 * connection, and its connection pools. The engine holds one per compiled configuration
 * (lib/ldap/engine/registry.ts); every call is a few additions, no allocation.
 */
export interface DirectoryObserver {
  readonly name: string;
  operation(operation: LdapOperation, ms: number): void;
  /** A new connection was opened at `url`; `failover`: not the configuration's first URL. */
  answered(url: string, failover: boolean): void;
  readonly pools: Record<PoolKind, PoolObserver>;
}

export interface PoolObserver {
  /** Connections opened (1) or closed (-1). */
  resized(delta: number): void;
  /** A sign-in found every connection busy and waited. */
  waited(): void;
  /** …and gave up. */
  timedOut(): void;
}

function poolObserver(name: string, pool: PoolKind): PoolObserver {
  const { poolConnections, poolWaits, poolWaitTimeouts } = metrics();
  const size = poolConnections.labels(name, pool);
  const waits = poolWaits.labels(name, pool);
  const timeouts = poolWaitTimeouts.labels(name, pool);
  return {
    resized: (delta) => size.inc(delta),
    waited: () => waits.inc(),
    timedOut: () => timeouts.inc(),
  };
}

function createObserver(name: string): DirectoryObserver {
  const { ldapOperationSeconds, failovers } = metrics();
  const histograms: Record<LdapOperation, ReturnType<typeof ldapOperationSeconds.labels>> = {
    connect: ldapOperationSeconds.labels(name, "connect"),
    bind: ldapOperationSeconds.labels(name, "bind"),
    search: ldapOperationSeconds.labels(name, "search"),
    groups: ldapOperationSeconds.labels(name, "groups"),
  };
  const failover = failovers.labels(name);
  const key: StatsKey = configurationKey(name);
  const stats = statsBuffer();
  return {
    name,
    operation(operation, ms) {
      histograms[operation].observe(ms / 1000);
      stats.latency(key, ms);
    },
    answered(url, isFailover) {
      if (isFailover) failover.inc();
      stats.answered(key, url, isFailover);
    },
    pools: { service: poolObserver(name, "service"), bind: poolObserver(name, "bind") },
  };
}

// By configuration name, for the process (shared by Next.js's bundles like the metrics).
const OBSERVERS = Symbol.for("ldap-portal.directory-observers");
const globalForObservers = globalThis as unknown as { [OBSERVERS]?: Map<string, DirectoryObserver> };

export function directoryObserver(name: string): DirectoryObserver {
  const observers = (globalForObservers[OBSERVERS] ??= new Map());
  let observer = observers.get(name);
  if (!observer) observers.set(name, (observer = createObserver(name)));
  return observer;
}
