// The three login implementations under test, each behind the same `login(username, password)`.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Client, type ClientOptions } from "ldapts";
import LdapAuth from "ldapauth-fork";
import type { LdapConfig } from "../lib/ldap/index";

type Engine = typeof import("../lib/ldap/index");
/**
 * The engine under test: lib/ldap, or with BENCH_ENGINE=<dir> a patched copy of it (its index.ts),
 * to measure an engine change against the same baseline in the same run conditions.
 */
export const engineSource = process.env.BENCH_ENGINE ? path.resolve(process.env.BENCH_ENGINE) : "lib/ldap";
export const engine: Engine = process.env.BENCH_ENGINE
  ? ((await import(pathToFileURL(path.join(engineSource, "index.ts")).href)) as Engine)
  : await import("../lib/ldap/index");
import { describe, type Outcome } from "./cell";
import { escapeValue, sameDn, type BenchDirectory } from "./directories";

export interface Timeouts {
  connectMs: number;
  operationMs: number;
}

export interface Implementation {
  id: string;
  describe: string;
  login(username: string, password: string): Promise<Outcome>;
  close(): Promise<void>;
}

const valuesOf = (raw: unknown): string[] => (raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String));

/** `(attribute=v)` or `(|(attribute=v1)(attribute=v2)…)`, hand-rendered. */
function anyOf(attribute: string, values: string[]): string {
  const terms = values.map((value) => `(${attribute}=${escapeValue(value)})`);
  return terms.length === 1 ? terms[0]! : `(|${terms.join("")})`;
}

function checkGroups(d: BenchDirectory, username: string, groups: string[]): Outcome {
  return groups.some((dn) => sameDn(dn, d.requiredGroup))
    ? { ok: true }
    : { ok: false, error: `wrong result: ${username}'s groups lack ${d.requiredGroup} (got ${groups.length})` };
}

// ---------------------------------------------------------------------------------------------
// (a) the engine

export function engineConfig(d: BenchDirectory, timeouts: Timeouts, overrides: Partial<LdapConfig> = {}): LdapConfig {
  return {
    ...engine.CONFIG_DEFAULTS,
    url: d.url,
    startTls: d.startTls,
    caCertificate: d.ca,
    verifyCertificate: true,
    searchBase: d.searchBase,
    searchFilter: d.engine.searchFilter,
    groupMembershipFilter: d.engine.groupMembershipFilter,
    nestedGroups: d.engine.nestedGroups,
    serviceAccountDn: d.serviceDn,
    serviceAccountPassword: d.servicePassword,
    connectTimeoutMs: timeouts.connectMs,
    operationTimeoutMs: timeouts.operationMs,
    ...overrides,
  };
}

export function engineImplementation(
  d: BenchDirectory,
  timeouts: Timeouts,
  overrides: Partial<LdapConfig> = {},
): Implementation {
  const config = engineConfig(d, timeouts, overrides);
  return {
    id: "a",
    describe: `${engineSource} authenticate()`,
    async login(username, password) {
      const result = await engine.authenticate(config, username, password);
      if (!result.ok)
        return {
          ok: false,
          error: `${result.error.code} at ${result.error.step}: ${result.error.detail ?? result.error.message}`,
        };
      return checkGroups(d, username, result.value.groups);
    },
    // Pools are closed once, at the very end, with closeAllPools().
    close: async () => {},
  };
}

// ---------------------------------------------------------------------------------------------
// (b) the minimal raw ldapts sequence

/**
 * One long-lived service connection, bound once (re-bound only if it drops), that carries every
 * search concurrently (LDAP multiplexes by message id). User binds go to separate connections that
 * are REUSED: a free list, one login at a time per connection (binds must not share a connection
 * concurrently), grown on demand, so at concurrency N at most N bind connections exist. After
 * warm-up no login opens a connection.
 */
export class RawLdapts {
  private readonly service: Client;
  private serviceReady: Promise<void> | undefined;
  private readonly idleBind: Client[] = [];
  private readonly every = new Set<Client>();

  constructor(
    private readonly d: BenchDirectory,
    private readonly timeouts: Timeouts,
  ) {
    this.service = this.newClient();
  }

  private newClient(): Client {
    const options: ClientOptions = {
      url: this.d.url,
      timeout: this.timeouts.operationMs,
      connectTimeout: this.timeouts.connectMs,
      strictDN: false,
      // ldapts uses TLS for any URL given tlsOptions: only ldaps:// gets them (see DIRECTORIES.md).
      ...(this.d.startTls ? {} : { tlsOptions: this.tlsOptions() }),
    };
    const client = new Client(options);
    this.every.add(client);
    return client;
  }

  private tlsOptions() {
    return { host: this.d.host, ca: [this.d.ca], minVersion: "TLSv1.2" as const };
  }

  private async connect(client: Client): Promise<void> {
    if (this.d.startTls && !client.isConnected) await client.startTLS(this.tlsOptions());
  }

  private ensureService(): Promise<void> {
    if (this.service.isBound) return Promise.resolve();
    this.serviceReady ??= (async () => {
      try {
        await this.connect(this.service);
        await this.service.bind(this.d.serviceDn, this.d.servicePassword);
      } finally {
        this.serviceReady = undefined;
      }
    })();
    return this.serviceReady;
  }

  /**
   * A search on the shared service connection. Re-connecting is left to ensureService() (one
   * connect + bind for all waiting logins): ldapts 8.2.0 lets every operation on a dropped client
   * open its own socket, and concurrent connects share one connect timer, so one of them can lose
   * its timeout and never settle (seen here: logins hung for good after a timeout under load).
   * The isBound check and the search call run in the same tick, so no socket event falls between.
   */
  private async search(filter: string, attributes: string[]) {
    while (!this.service.isBound) await this.ensureService();
    return this.service.search(this.d.searchBase, { scope: "sub", filter, attributes });
  }

  private async searchDns(filter: string): Promise<string[]> {
    const { searchEntries } = await this.search(filter, ["1.1"]);
    return searchEntries.map((entry) => entry.dn);
  }

  async login(username: string, password: string, withGroups: boolean): Promise<Outcome> {
    const walk = withGroups ? this.d.memberOfWalk : undefined;
    const { searchEntries } = await this.search(
      this.d.userFilter(username),
      walk ? ["mail", "cn", "memberOf"] : ["mail", "cn"],
    );
    if (searchEntries.length !== 1) return { ok: false, error: `user search found ${searchEntries.length} entries` };
    const user = searchEntries[0]!;
    const dn = user.dn;

    const bindClient = this.idleBind.pop() ?? this.newClient();
    try {
      await this.connect(bindClient);
      await bindClient.bind(dn, password);
    } catch (error) {
      this.every.delete(bindClient);
      await bindClient.unbind().catch(() => {});
      return { ok: false, error: `user bind: ${describe(error)}` };
    }
    this.idleBind.push(bindClient);
    if (!withGroups) return { ok: true };
    const groups = walk ? await this.walkMemberOf(walk.classFilter, valuesOf(user.memberOf)) : await this.expand(dn);
    return checkGroups(this.d, username, groups);
  }

  /** The Group Membership Filter, then (without the in-chain rule) parents level by level until no new group turns up. */
  private async expand(dn: string): Promise<string[]> {
    const seen = new Map<string, string>();
    let frontier = await this.searchDns(this.d.groupFilter(dn));
    for (const g of frontier) seen.set(g.toLowerCase(), g);
    while (this.d.expandAttribute && frontier.length > 0) {
      const parents = await this.searchDns(anyOf(this.d.expandAttribute, frontier));
      frontier = parents.filter((g) => !seen.has(g.toLowerCase()));
      for (const g of frontier) seen.set(g.toLowerCase(), g);
    }
    return [...seen.values()];
  }

  /** The user's memberOf, then each level's groups read by DN with their own memberOf. */
  private async walkMemberOf(classFilter: string, memberOf: string[]): Promise<string[]> {
    const found: string[] = [];
    const seen = new Set(memberOf.map((g) => g.toLowerCase()));
    let frontier = memberOf;
    while (frontier.length > 0) {
      const { searchEntries } = await this.search(`(&${classFilter}${anyOf("distinguishedName", frontier)})`, [
        "memberOf",
      ]);
      frontier = [];
      for (const group of searchEntries) {
        found.push(group.dn);
        for (const parent of valuesOf(group.memberOf)) {
          if (!seen.has(parent.toLowerCase())) {
            seen.add(parent.toLowerCase());
            frontier.push(parent);
          }
        }
      }
    }
    return found;
  }

  async close(): Promise<void> {
    await Promise.all([...this.every].map((client) => client.unbind().catch(() => {})));
    this.every.clear();
    this.idleBind.length = 0;
  }
}

export function rawImplementations(
  d: BenchDirectory,
  timeouts: Timeouts,
): { full: Implementation; minimal: Implementation } {
  const raw = new RawLdapts(d, timeouts);
  return {
    full: {
      id: "b",
      describe: "raw ldapts: search + bind + same group queries",
      login: (username, password) => raw.login(username, password, true),
      close: () => raw.close(),
    },
    minimal: {
      id: "b0",
      describe: "raw ldapts: search + bind only (no groups)",
      login: (username, password) => raw.login(username, password, false),
      close: async () => {}, // shares b's connections; b closes them
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (c) ldapauth-fork, one shared instance

export interface LdapauthImplementation extends Implementation {
  /** 'error' events the instance emitted (ldapjs socket/connect errors, re-emitted). */
  emittedErrors: () => number;
}

export function ldapauthImplementation(d: BenchDirectory, timeouts: Timeouts): LdapauthImplementation {
  let emitted = 0;
  const tlsOptions = { host: d.host, ca: [d.ca], minVersion: "TLSv1.2" as const };
  const auth = new LdapAuth({
    url: d.url,
    bindDN: d.serviceDn,
    bindCredentials: d.servicePassword,
    searchBase: d.searchBase,
    searchScope: "sub",
    searchFilter: d.ldapauth.searchFilter,
    searchAttributes: ["mail", "cn"],
    groupSearchBase: d.searchBase,
    groupSearchScope: "sub",
    groupSearchFilter: d.ldapauth.groupSearchFilter,
    groupSearchAttributes: ["1.1"],
    tlsOptions,
    starttls: d.startTls,
    // ldapjs per-request timeout: a request the server never answers fails after this long
    // instead of hanging forever (the default is no timeout).
    timeout: timeouts.operationMs,
    connectTimeout: timeouts.connectMs,
    // Requests made while ldapjs is (re)connecting wait in its queue, without a limit by default.
    queueTimeout: timeouts.operationMs,
    reconnect: { initialDelay: 100, maxDelay: 1000 },
    cache: false,
  } as LdapAuth.Options);
  // Without a listener an ldapjs socket error would crash the process.
  auth.on("error", () => {
    emitted += 1;
  });
  const authenticateAsync = promisify(auth.authenticate.bind(auth)) as (
    username: string,
    password: string,
  ) => Promise<Record<string, unknown>>;
  return {
    id: "c",
    describe: "ldapauth-fork 6.1.0, one shared instance",
    emittedErrors: () => emitted,
    async login(username, password) {
      const user = await authenticateAsync(username, password);
      const groups = ((user._groups as { dn: string }[] | undefined) ?? []).map((group) => String(group.dn));
      if (!user.dn) return { ok: false, error: "wrong result: no dn" };
      // On OpenLDAP one group query gives direct groups only (no nesting): nothing to check there.
      return d.ldapauthNested ? checkGroups(d, username, groups) : { ok: true };
    },
    async close() {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        auth.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      // An unbind that never completes (a wedged connection) must not keep sockets open or let
      // ldapjs reconnect: destroy() closes for good.
      const clients = auth as unknown as { _adminClient?: { destroy(): void }; _userClient?: { destroy(): void } };
      clients._adminClient?.destroy();
      clients._userClient?.destroy();
    },
  };
}
