import { createHash } from "node:crypto";
import type { LdapConfig } from "./config";
import type { Connection } from "./connection";
import type { Result } from "./errors";

/**
 * A small bounded pool of open connections. Connections that failed are dropped, idle ones are
 * closed after a while, and a pool whose configuration changed is drained (see poolFor).
 */
export class ConnectionPool {
  private idle: { connection: Connection; since: number }[] = [];
  private total = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly create: () => Promise<Result<Connection>>,
    private readonly max = 4,
    private readonly idleMs = 60_000,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(idleMs, 30_000));
    this.sweeper.unref();
  }

  /** Runs `run` with a connection; `healthy: false` in the answer drops the connection afterwards. */
  async withConnection<T>(run: (connection: Connection, fresh: boolean) => Promise<{ result: Result<T>; healthy: boolean }>): Promise<Result<T>> {
    const acquired = await this.acquire();
    if (!acquired.ok) return acquired;
    const { connection, fresh } = acquired.value;
    let healthy = false;
    try {
      const outcome = await run(connection, fresh);
      healthy = outcome.healthy;
      return outcome.result;
    } finally {
      this.release(connection, healthy);
    }
  }

  private async acquire(): Promise<Result<{ connection: Connection; fresh: boolean }>> {
    for (;;) {
      while (this.idle.length > 0) {
        const { connection } = this.idle.pop()!;
        if (connection.isAlive()) return { ok: true, value: { connection, fresh: false } };
        this.total -= 1; // the server closed it while idle
        void connection.close();
      }
      if (this.total < this.max) {
        this.total += 1;
        const created = await this.create();
        if (!created.ok) {
          this.total -= 1;
          this.wakeOne();
          return created;
        }
        return { ok: true, value: { connection: created.value, fresh: true } };
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private release(connection: Connection, healthy: boolean): void {
    if (healthy && !this.closed && connection.isAlive()) {
      this.idle.push({ connection, since: Date.now() });
    } else {
      this.total -= 1;
      void connection.close();
    }
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.idleMs;
    const stale = this.idle.filter((entry) => entry.since < cutoff);
    this.idle = this.idle.filter((entry) => entry.since >= cutoff);
    for (const { connection } of stale) {
      this.total -= 1;
      void connection.close();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const idle = this.idle;
    this.idle = [];
    this.total -= idle.length;
    await Promise.all(idle.map(({ connection }) => connection.close()));
  }
}

/** Fingerprint of everything that decides where and how a pool connects and binds. */
export function connectionKey(config: LdapConfig): string {
  const relevant = [
    config.url,
    config.failoverUrls,
    config.startTls,
    config.verifyCertificate,
    config.caCertificate ?? "",
    config.connectTimeoutMs,
    config.operationTimeoutMs,
    config.serviceAccountDn,
    config.serviceAccountPassword,
  ];
  return createHash("sha256").update(JSON.stringify(relevant)).digest("hex");
}

const pools = new Map<string, { key: string; pool: ConnectionPool }>();

/**
 * The pool of one kind ("service" or "bind") for a configuration. A configuration saved with
 * other connection settings gets a new pool and the old one is drained.
 */
export function poolFor(
  kind: "service" | "bind",
  config: LdapConfig,
  create: () => Promise<Result<Connection>>,
): ConnectionPool {
  const key = connectionKey(config);
  const name = `${kind}:${config.id ?? key}`;
  const existing = pools.get(name);
  if (existing?.key === key) return existing.pool;
  if (existing) void existing.pool.close();
  const pool = new ConnectionPool(create);
  pools.set(name, { key, pool });
  return pool;
}

/** Closes every pooled connection (the CLI and the tests call this before exiting). */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map(({ pool }) => pool.close()));
}
