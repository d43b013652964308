import "server-only";
import type { PoolObserver } from "@/lib/observability/directory-observer";
import { ldapError, type Result } from "../errors";
import type { Connection } from "./connection";
import type { CompiledConfiguration } from "./registry";

interface Entry {
  connection: Connection;
  /** Logins using it right now. */
  users: number;
  /** Failed once: no new users; closed when the last one leaves. */
  retired: boolean;
  idleSince: number;
}

export interface PoolOptions {
  /** Most connections open at once. */
  max: number;
  /**
   * Logins that may use one connection at the same time. Searches multiplex on one LDAP
   * connection (message ids), so the service pool shares; binds change a connection's
   * identity, so the bind pool does not.
   */
  sharing: number;
  /** How long a login waits for a connection before failing with a timeout. */
  waitMs: number;
  idleMs?: number;
  /** Hears the pool's size and its waits (the configuration's, when it has a name). */
  observer?: PoolObserver;
}

/** Connections one pool opens at the same time: a burst must not overflow a listen backlog (Samba's is 10). */
const MAX_OPENING = 2;

/**
 * A small bounded pool of open connections. Connections that failed are dropped, idle ones are
 * closed after a while, and a pool whose configuration was forgotten is drained (see poolOf).
 */
export class ConnectionPool {
  private entries: Entry[] = [];
  private opening = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly sweeper: NodeJS.Timeout;
  private readonly idleMs: number;

  constructor(
    private readonly create: () => Promise<Result<Connection>>,
    private readonly options: PoolOptions,
  ) {
    this.idleMs = options.idleMs ?? 60_000;
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(this.idleMs, 30_000));
    this.sweeper.unref();
  }

  /** Runs `run` with a connection; `healthy: false` in the answer retires the connection. */
  async withConnection<T>(
    run: (connection: Connection, fresh: boolean) => Promise<{ result: Result<T>; healthy: boolean }>,
  ): Promise<Result<T>> {
    const acquired = await this.acquire();
    if (!acquired.ok) return acquired;
    const { entry, fresh } = acquired.value;
    let healthy = false;
    try {
      const outcome = await run(entry.connection, fresh);
      healthy = outcome.healthy;
      return outcome.result;
    } finally {
      this.release(entry, healthy);
    }
  }

  private async acquire(): Promise<Result<{ entry: Entry; fresh: boolean }>> {
    const deadline = Date.now() + this.options.waitMs;
    let waited = false;
    for (;;) {
      if (this.closed)
        return {
          ok: false,
          error: ldapError("connection_reset", "connect", {
            detail: "The connection pool was closed (configuration changed or shutting down)",
          }),
        };
      this.dropDead();
      const shared = this.entries
        .filter((entry) => !entry.retired && entry.users < this.options.sharing)
        .sort((a, b) => a.users - b.users)[0];
      if (shared) {
        shared.users += 1;
        return { ok: true, value: { entry: shared, fresh: false } };
      }
      if (this.entries.length + this.opening < this.options.max && this.opening < MAX_OPENING) {
        this.opening += 1;
        const created = await this.create().finally(() => (this.opening -= 1));
        if (!created.ok) {
          this.wakeOne();
          return created;
        }
        const entry: Entry = { connection: created.value, users: 1, retired: false, idleSince: Date.now() };
        if (this.closed) {
          void entry.connection.close();
          continue;
        }
        this.entries.push(entry);
        this.options.observer?.resized(1);
        // Logins that queued while it opened may share it now (not only as others leave), or open the next one.
        for (let slot = 0; slot < this.options.sharing; slot++) this.wakeOne();
        return { ok: true, value: { entry, fresh: true } };
      }
      const remaining = deadline - Date.now();
      if (!waited && remaining > 0) {
        waited = true;
        this.options.observer?.waited();
      }
      if (remaining <= 0 || !(await this.waitForRelease(remaining))) {
        this.options.observer?.timedOut();
        return {
          ok: false,
          error: ldapError("timeout", "connect", {
            detail: `all ${this.options.max} pooled connections stayed busy for ${this.options.waitMs} ms`,
          }),
        };
      }
    }
  }

  private waitForRelease(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        resolve(false);
      }, ms);
      this.waiters.push(wake);
    });
  }

  private release(entry: Entry, healthy: boolean): void {
    entry.users -= 1;
    entry.idleSince = Date.now();
    if (!healthy || this.closed || !entry.connection.isAlive()) entry.retired = true;
    if (entry.retired && entry.users === 0) this.remove(entry);
    this.wakeOne();
  }

  private remove(entry: Entry): void {
    this.entries = this.entries.filter((other) => other !== entry);
    this.options.observer?.resized(-1);
    void entry.connection.close();
  }

  /** Connections the server closed while they sat unused. */
  private dropDead(): void {
    for (const entry of this.entries) {
      if (!entry.retired && !entry.connection.isAlive()) entry.retired = true;
      if (entry.retired && entry.users === 0) this.remove(entry);
    }
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const entry of this.entries) if (entry.users === 0 && entry.idleSince < cutoff) this.remove(entry);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const idle = this.entries.filter((entry) => entry.users === 0);
    for (const entry of this.entries) entry.retired = true;
    this.entries = this.entries.filter((entry) => entry.users > 0);
    if (idle.length > 0) this.options.observer?.resized(-idle.length);
    for (const wake of this.waiters.splice(0)) wake();
    await Promise.all(idle.map((entry) => entry.connection.close()));
  }
}

const POOL_OPTIONS = {
  service: { max: 4, sharing: 16 },
  bind: { max: 16, sharing: 1 },
} as const;

/**
 * The pool of one kind ("service" or "bind") of a compiled configuration, opened on first use.
 * A configuration saved with other settings is another version with its own pools; the old
 * version's are drained when it is forgotten (registry.ts).
 */
export function poolOf(
  compiled: CompiledConfiguration,
  kind: "service" | "bind",
  create: () => Promise<Result<Connection>>,
): ConnectionPool {
  return (compiled.pools[kind] ??= new ConnectionPool(create, {
    ...POOL_OPTIONS[kind],
    waitMs: compiled.config.operationTimeoutMs,
    observer: compiled.observer?.pools[kind],
  }));
}
