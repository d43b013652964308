import "server-only";
import { createHash } from "node:crypto";
import tls from "node:tls";
import { configError, urlsOf, type LdapConfig } from "../config";
import type { LdapError } from "../errors";
import {
  inChainClassClauses,
  memberAttributeOf,
  usesInChainRule,
  validateFilterTemplate,
  type FilterNode,
  type FilterResult,
} from "../filter";
import { configurationName } from "@/lib/observability/configuration-names";
import { directoryObserver, type DirectoryObserver } from "@/lib/observability/directory-observer";
import { NestingCache } from "./nesting-cache";
import type { ConnectionPool } from "./pool";

/**
 * What the engine compiles from one configuration, once per version: its verdict, parsed
 * filters, attributes to read, connection key, TLS context, pools and nesting cache. Sign-ins,
 * Test LDAP Connection, Detect and the group picker all start here; only sign-ins use the pools.
 */
export interface CompiledConfiguration {
  /** Fingerprint of the configuration's content (every engine field; secrets only hashed). */
  readonly version: string;
  readonly config: LdapConfig;
  /** configError's verdict: a configuration the engine cannot use is refused before any I/O. */
  readonly invalid: LdapError | undefined;
  /** The Search Filter with its placeholders ({0}, {username}, {login}), parsed. */
  readonly searchFilter: FilterResult<FilterNode>;
  /** The Group Membership Filter, parsed and analysed; undefined when there is none. */
  readonly groupFilter: GroupFilter | undefined;
  /** The user entry's attributes a sign-in reads, and the ones the diagnosis reports. */
  readonly attributes: { signIn: string[]; diagnose: string[] };
  /** Fingerprint of what decides where and how connections open and bind. */
  readonly connectionKey: string;
  /** The TLS context of ldaps:// and StartTLS (system roots plus the CA Certificate), built on first use. */
  secureContext(): tls.SecureContext;
  /** The URL that answered last, so failover does not pay a timeout per sign-in. */
  healthyUrl?: { url: string; at: number };
  /** Sign-ins' pooled connections: service (searches) and bind (user binds). */
  readonly pools: { service?: ConnectionPool; bind?: ConnectionPool };
  readonly nesting: NestingCache;
  /**
   * Where operations, failovers and pools are reported, under the stored configuration's name;
   * none for typed values never saved (the form's Test and Detect, the CLI).
   */
  observer?: DirectoryObserver;
}

export interface GroupFilter {
  /** Parsed with its placeholders ({0}, {dn}, {username}). */
  tree: FilterResult<FilterNode>;
  /** The AD in-chain filter the portal resolves from memberOf: its object-class clauses. */
  inChainClassClauses: FilterNode[] | undefined;
  /** The AD in-chain rule, evaluated by the server. */
  usesInChainRule: boolean;
  /** The attribute naming members (member, uniqueMember, memberUid): the one nesting follows. */
  memberAttribute: string | undefined;
}

/** Every engine field once, in a fixed order: a field added to LdapConfig and missing here fails to compile. */
const VERSION_FIELDS: Record<keyof LdapConfig, true> = {
  url: true,
  failoverUrls: true,
  searchBase: true,
  searchFilter: true,
  groupMembershipFilter: true,
  emailAttribute: true,
  serviceAccountDn: true,
  serviceAccountPassword: true,
  searchSubtree: true,
  startTls: true,
  verifyCertificate: true,
  caCertificate: true,
  connectTimeoutMs: true,
  operationTimeoutMs: true,
  nestedGroups: true,
  nestedGroupsCacheSeconds: true,
  requiredGroupDn: true,
};
const CONNECTION_FIELDS = [
  "url",
  "failoverUrls",
  "startTls",
  "verifyCertificate",
  "caCertificate",
  "connectTimeoutMs",
  "operationTimeoutMs",
  "serviceAccountDn",
  "serviceAccountPassword",
] as const;

const fingerprint = (values: unknown[]) => createHash("sha256").update(JSON.stringify(values)).digest("base64url");

/** A configuration's version: the same content gives the same version, whatever object holds it. */
export function configurationVersion(config: LdapConfig): string {
  return fingerprint((Object.keys(VERSION_FIELDS) as (keyof LdapConfig)[]).map((field) => config[field] ?? null));
}

const ACCOUNT_ATTRIBUTES = [
  "userAccountControl",
  "lockoutTime",
  "accountExpires",
  "pwdLastSet",
  "pwdAccountLockedTime",
  "nsAccountLock",
];
const ID_ATTRIBUTES = ["objectGUID", "entryUUID", "nsUniqueId"];
const NAME_ATTRIBUTES = ["cn", "displayName", "sAMAccountName", "uid", "userPrincipalName", "memberOf"];

/** Compiles a configuration without registering it (the registry's entries, and unit tests). */
export function compileConfiguration(
  config: LdapConfig,
  version = configurationVersion(config),
): CompiledConfiguration {
  const template = config.groupMembershipFilter.trim();
  const groupFilter = template
    ? {
        tree: validateFilterTemplate(template, ["0", "dn", "username"]),
        inChainClassClauses: inChainClassClauses(template),
        usesInChainRule: usesInChainRule(template),
        memberAttribute: memberAttributeOf(template),
      }
    : undefined;
  // Diagnose reads everything it reports; a sign-in reads only what it uses (less to encode and parse).
  const memberOf = !groupFilter || groupFilter.inChainClassClauses ? ["memberOf"] : [];
  let context: tls.SecureContext | undefined;
  return {
    version,
    config,
    invalid: configError(config),
    searchFilter: validateFilterTemplate(config.searchFilter, ["0", "username", "login"]),
    groupFilter,
    attributes: {
      signIn: [...new Set([config.emailAttribute, "cn", "displayName", ...ID_ATTRIBUTES, ...memberOf])],
      diagnose: [...new Set([config.emailAttribute, ...NAME_ATTRIBUTES, ...ID_ATTRIBUTES, ...ACCOUNT_ATTRIBUTES])],
    },
    connectionKey: fingerprint(CONNECTION_FIELDS.map((field) => config[field] ?? null)),
    secureContext: () => {
      const ca = config.caCertificate?.trim() ?? "";
      // Building a context with the system roots costs milliseconds: once per version, shared by its connections.
      context ??= tls.createSecureContext({
        minVersion: "TLSv1.2",
        ...(ca ? { ca: [...tls.rootCertificates, ca] } : {}),
      });
      return context;
    },
    pools: {},
    nesting: new NestingCache(),
  };
}

/** More configurations than a portal has: past it, the least recently used is dropped (its pools closed). */
const MAX_CONFIGURATIONS = 64;
/** A version no sign-in or test used for this long is dropped (a configuration saved on another instance). */
const UNUSED_MS = 60 * 60_000;

interface Entry {
  compiled: CompiledConfiguration;
  usedAt: number;
  dropped: boolean;
}

/** Compiled configurations by version, least recently used first. */
const entries = new Map<string, Entry>();
/**
 * The entry a configuration object was last found under, so a caller that keeps its object (the
 * CLI, the benchmark, the tests) skips hashing it. Configurations are values: never changed once used.
 */
const byObject = new WeakMap<LdapConfig, Entry>();

/** The compiled form of `config`'s current version, compiled on first use. */
export function compiled(config: LdapConfig): CompiledConfiguration {
  const now = Date.now();
  let entry = byObject.get(config);
  if (!entry || entry.dropped) {
    const version = configurationVersion(config);
    entry = entries.get(version);
    if (!entry) {
      entry = { compiled: compileConfiguration(config, version), usedAt: now, dropped: false };
      entries.set(version, entry);
      for (const [oldest, { usedAt }] of entries) {
        if (entries.size <= MAX_CONFIGURATIONS && usedAt > now - UNUSED_MS) break;
        void drop(oldest);
      }
    }
    byObject.set(config, entry);
    // The name the configuration is stored under (a rename keeps the version, not the name).
    const name = configurationName(config);
    if (name !== undefined && entry.compiled.observer?.name !== name) entry.compiled.observer = directoryObserver(name);
  }
  entry.usedAt = now;
  // Moved to the end (most recently used).
  const { version } = entry.compiled;
  entries.delete(version);
  entries.set(version, entry);
  return entry.compiled;
}

function drop(version: string): Promise<void> {
  const entry = entries.get(version);
  if (!entry) return Promise.resolve();
  entries.delete(version);
  entry.dropped = true;
  entry.compiled.nesting.clear();
  for (const url of urlsOf(entry.compiled.config)) directoryFacts.delete(url);
  return closePools(entry.compiled);
}

async function closePools(compiled: CompiledConfiguration): Promise<void> {
  const pools = [compiled.pools.service, compiled.pools.bind];
  delete compiled.pools.service;
  delete compiled.pools.bind;
  await Promise.all(pools.map((pool) => pool?.close()));
}

/**
 * Forgets what was compiled for this configuration (the configurations service calls it when one
 * is saved or deleted): its pools are drained and closed, its nesting cache and what is known
 * about its directories dropped. The next use compiles the new version.
 */
export function forgetConfiguration(config: LdapConfig): Promise<void> {
  return drop(configurationVersion(config));
}

/** Closes every pooled connection (the CLI and the tests call this before exiting); compiled state stays. */
export async function closeAllPools(): Promise<void> {
  await Promise.all([...entries.values()].map(({ compiled }) => closePools(compiled)));
}

/**
 * What a directory server's RootDSE says, by URL: facts about the server, shared by every
 * configuration pointing at it (member-of-walk.ts). Bounded: the oldest URL goes first.
 */
export interface DirectoryFacts {
  activeDirectory: boolean;
  namingContexts: string[];
}
const MAX_DIRECTORIES = 100;
const directoryFacts = new Map<string, { facts: DirectoryFacts; until: number }>();

export function knownFacts(url: string): DirectoryFacts | undefined {
  const known = directoryFacts.get(url);
  return known && known.until > Date.now() ? known.facts : undefined;
}

export function rememberFacts(url: string, facts: DirectoryFacts, ttlMs: number): void {
  directoryFacts.delete(url);
  while (directoryFacts.size >= MAX_DIRECTORIES) directoryFacts.delete(directoryFacts.keys().next().value!);
  directoryFacts.set(url, { facts, until: Date.now() + ttlMs });
}
