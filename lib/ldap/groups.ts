import type { Client } from "ldapts";
import type { LdapConfig } from "./config";
import { dnKey } from "./dn";
import { ldapError, type Result } from "./errors";
import { inChainClassClauses, memberAttributeOf, renderFilterTree, stringifyFilter, usesInChainRule, type FilterNode } from "./filter";
import { anyOf, toLdaptsFilter } from "./ldapts-filter";
import { cachedExpansion, rememberExpansion } from "./nesting-cache";
import { AD_CAPABILITY_OID } from "./probe";
import { allValues, searchAll, type Scope } from "./search";
import { MAX_DEPTH, walkLevels } from "./walk-levels";

/**
 * in_chain: the server expands nesting (AD rule, sent as written); in_chain_expanded: the same
 * rule resolved by the portal from memberOf with indexed look-ups (see walkMemberOf); filter: the
 * Group Membership Filter gives the direct groups; member_of: the user's memberOf values do.
 */
export type GroupStrategy = "in_chain" | "in_chain_expanded" | "filter" | "member_of" | "none";

export interface GroupResolution {
  strategy: GroupStrategy;
  /** Groups the user is a direct member of (or, for in_chain, every group the server returned). */
  direct: string[];
  /** Every group, direct and nested, deduplicated by normalised DN. */
  all: string[];
  /** Each query sent, as effective filter text, in order. */
  queries: string[];
  /** How many levels of parents were expanded by the portal. */
  depth: number;
  truncated?: string;
  /** Set when the parents came from the nesting cache instead of the directory. */
  cachedNesting?: { ageMs: number; queriesSaved: number };
}


interface Context {
  client: Client;
  config: LdapConfig;
  url: string;
  isAlive: () => boolean;
  /** Sign-ins read the nesting cache; diagnose always asks the directory (and refreshes the cache). */
  readCache: boolean;
}

const keyOf = dnKey;

async function searchEntries(ctx: Context, node: FilterNode, attributes: string[], queries: string[]) {
  queries.push(stringifyFilter(node));
  // ldapts would silently reconnect a dropped socket without binding: never search on it.
  if (!ctx.isAlive()) return { ok: false as const, error: ldapError("connection_reset", "groups", { detail: `the connection to ${ctx.url} was closed` }) };
  const scope: Scope = ctx.config.searchSubtree ? "sub" : "one";
  return searchAll(ctx.client, ctx.config.searchBase, { scope, filter: toLdaptsFilter(node), attributes }, "groups", {
    url: ctx.url,
    timeoutMs: ctx.config.operationTimeoutMs,
  });
}

async function search(ctx: Context, node: FilterNode, queries: string[]): Promise<Result<string[]>> {
  const found = await searchEntries(ctx, node, ["1.1"], queries);
  return found.ok ? { ok: true, value: found.value.map((entry) => entry.dn) } : found;
}

const withClasses = (classClauses: FilterNode[], node: FilterNode): FilterNode =>
  classClauses.length > 0 ? { type: "and", children: [...classClauses, node] } : node;

interface Expansion {
  direct: string[];
  all: string[];
  depth: number;
  truncated?: string;
}

/**
 * The AD in-chain rule resolved from memberOf, which Active Directory maintains on every member:
 * the user's memberOf values are the candidate direct groups; each level reads the candidates
 * that match the filter's object classes, with their own memberOf, by DN (an indexed look-up,
 * where `member=` is not indexed on Samba), until no new group turns up.
 */
async function walkMemberOf(ctx: Context, classClauses: FilterNode[], memberOf: string[], queries: string[]): Promise<Result<Expansion>> {
  const walked = await walkLevels(memberOf, MAX_DEPTH + 1, queries, async (batch) => {
    const groups = await searchEntries(ctx, withClasses(classClauses, anyOf("distinguishedName", batch)), ["memberOf"], queries);
    if (!groups.ok) return groups;
    return { ok: true, value: { found: groups.value.map((group) => group.dn), next: groups.value.flatMap((group) => allValues(group, "memberOf")) } };
  });
  if (!walked.ok) return walked;
  const { found, truncated } = walked.value;
  const depth = found.filter((level) => level.length > 0).length - 1;
  return { ok: true, value: { direct: found[0] ?? [], all: found.flat(), depth: Math.max(0, depth), ...(truncated ? { truncated } : {}) } };
}

/**
 * Parents of the given groups, level by level: `(|(member=g1)(member=g2)…)` in batches, for
 * directories without the in-chain rule.
 */
async function expandParents(ctx: Context, attribute: string, start: string[], queries: string[]): Promise<Result<Expansion>> {
  const walked = await walkLevels(start, MAX_DEPTH, queries, async (batch) => {
    const parents = await search(ctx, anyOf(attribute, batch), queries);
    return parents.ok ? { ok: true, value: { found: [], next: parents.value } } : parents;
  });
  if (!walked.ok) return walked;
  const { asked, pending, truncated } = walked.value;
  // Every level holds new groups: the start, then each level's new parents (the last, when cut
  // short, found but not asked about in turn).
  const levels = [...asked, ...(pending.length > 0 ? [pending] : [])];
  return { ok: true, value: { direct: start, all: levels.flat(), depth: levels.length - 1, ...(truncated ? { truncated } : {}) } };
}

/**
 * The user's groups. The Group Membership Filter decides the strategy: with the AD in-chain rule
 * the server returns nested groups itself; otherwise the filter (or, without one, the user's
 * memberOf values) gives the direct groups and parents are expanded here when nestedGroups is on.
 */
export async function resolveGroups(
  ctx: Context,
  user: { dn: string; username: string; memberOf: string[]; memberOfComplete: boolean },
): Promise<Result<GroupResolution>> {
  const queries: string[] = [];
  const template = ctx.config.groupMembershipFilter.trim();
  const classClauses = template ? inChainClassClauses(template) : undefined;
  // Active Directory sends long memberOf lists in ranges: then ask the server with the rule as written.
  // Other servers get it as written too, so that they report it unsupported (or match nothing).
  if (classClauses && user.memberOfComplete && (await isActiveDirectory(ctx))) {
    const walked = await cachedNesting(ctx, nestingScope(ctx.config, "memberOf", classClauses), user.memberOf, queries, () =>
      walkMemberOf(ctx, classClauses, user.memberOf, queries),
    );
    return walked.ok ? { ok: true, value: { strategy: "in_chain_expanded", queries, ...walked.value } } : walked;
  }

  let direct: string[];
  let strategy: GroupStrategy;
  let attribute: string | undefined;
  if (template) {
    const tree = renderFilterTree(template, { "0": user.dn, dn: user.dn, username: user.username });
    if (!tree.ok) return { ok: false, error: ldapError("invalid_filter", "groups", { detail: `Group Membership Filter: ${tree.error.message}` }) };
    const found = await search(ctx, tree.value, queries);
    if (!found.ok) return found;
    direct = found.value;
    strategy = usesInChainRule(template) ? "in_chain" : "filter";
    attribute = memberAttributeOf(template);
  } else {
    direct = user.memberOf;
    strategy = "member_of";
    attribute = "member";
  }

  if (strategy === "in_chain") {
    // The server returned every group; the user's own memberOf values tell which are direct.
    const own = new Set(user.memberOf.map(keyOf));
    const all = direct;
    direct = own.size > 0 ? all.filter((dn) => own.has(keyOf(dn))) : all;
    return { ok: true, value: { strategy, direct, all, queries, depth: 0 } };
  }

  const canExpand = ctx.config.nestedGroups && attribute && attribute.toLowerCase() !== "memberuid";
  if (!canExpand || direct.length === 0) {
    return { ok: true, value: { strategy, direct, all: direct, queries, depth: 0 } };
  }
  const start = direct;
  const expanded = await cachedNesting(ctx, nestingScope(ctx.config, attribute!, []), start, queries, () => expandParents(ctx, attribute!, start, queries));
  return expanded.ok ? { ok: true, value: { strategy, queries, ...expanded.value } } : expanded;
}

/** Whether the server is Active Directory (or Samba), read once per URL from its RootDSE. */
const activeDirectoryByUrl = new Map<string, boolean>();

async function isActiveDirectory(ctx: Context): Promise<boolean> {
  const known = activeDirectoryByUrl.get(ctx.url);
  if (known !== undefined) return known;
  if (!ctx.isAlive()) return false;
  try {
    const { searchEntries } = await ctx.client.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["supportedCapabilities"] });
    const found = allValues(searchEntries[0] ?? { dn: "" }, "supportedCapabilities").includes(AD_CAPABILITY_OID);
    if (activeDirectoryByUrl.size >= 100) activeDirectoryByUrl.clear();
    activeDirectoryByUrl.set(ctx.url, found);
    return found;
  } catch {
    // The rule as written then says what is wrong, in its own words.
    return false;
  }
}

/**
 * The expansion of `start`, from the nesting cache when a sign-in finds a fresh one; otherwise
 * read from the directory (and remembered unless it was cut short).
 */
async function cachedNesting(
  ctx: Context,
  scope: string,
  start: string[],
  queries: string[],
  expand: () => Promise<Result<Expansion>>,
): Promise<Result<Expansion & { cachedNesting?: GroupResolution["cachedNesting"] }>> {
  const startKeys = start.map(keyOf);
  const ttlMs = ctx.config.nestedGroupsCacheSeconds * 1000;
  const cached = ctx.readCache ? cachedExpansion(scope, startKeys, ttlMs) : undefined;
  if (cached) {
    const { queries: queriesSaved, ...expansion } = cached.value;
    return { ok: true, value: { ...expansion, cachedNesting: { ageMs: cached.ageMs, queriesSaved } } };
  }
  const before = queries.length;
  const expanded = await expand();
  if (expanded.ok && ttlMs > 0 && !expanded.value.truncated) {
    const { direct, all, depth } = expanded.value;
    rememberExpansion(scope, startKeys, { direct, all, depth, queries: queries.length - before });
  }
  return expanded;
}

/** What decides which parents a directory returns: where and how they are searched, and as whom. */
function nestingScope(config: LdapConfig, attribute: string, classClauses: FilterNode[]): string {
  return JSON.stringify([config.url, config.failoverUrls, config.serviceAccountDn, config.searchBase, config.searchSubtree, attribute.toLowerCase(), classClauses.map((n) => stringifyFilter(n))]);
}

/** True when `groups` holds `required` (compared as DNs: case and spacing do not matter). */
export function hasGroup(groups: string[], required: string): boolean {
  const wanted = keyOf(required);
  return groups.some((dn) => keyOf(dn) === wanted);
}
