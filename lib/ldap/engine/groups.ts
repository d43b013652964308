import "server-only";
import { dnKey } from "../dn";
import { ldapError, type Result } from "../errors";
import { stringifyFilter, substituteFilter, type FilterNode } from "../filter";
import { joinReasons, searchGroupDns, type Expansion, type GroupContext, type GroupQueryResult } from "./group-search";
import { anyOf } from "./ldapts-filter";
import { walkable, walkMemberOf } from "./member-of-walk";
import { MAX_DEPTH, walkLevels } from "./walk-levels";

/**
 * in_chain: the server expands nesting (AD rule, sent as written); in_chain_expanded: the same
 * rule resolved by the portal from memberOf (member-of-walk.ts); filter: the Group Membership
 * Filter gives the direct groups; member_of: the user's memberOf values do.
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
  /**
   * False when resolution was cut short (depth cap, query budget, memberOf sent in ranges, a
   * server size limit paging does not lift): `all` then holds only the groups it confirmed, and
   * a membership missing from it is unknown, not absent.
   */
  complete: boolean;
  /** Why it is incomplete, for administrators: "size limit exceeded after 5 entries", "depth cap 10 reached" … */
  incompleteReason?: string;
  /** Set when the parents came from the nesting cache instead of the directory. */
  cachedNesting?: { ageMs: number; queriesSaved: number };
}

const keyOf = dnKey;

/**
 * Parents of the given groups, level by level: `(|(member=g1)(member=g2)…)` in batches, for
 * directories without the in-chain rule.
 */
async function expandParents(
  ctx: GroupContext,
  attribute: string,
  start: string[],
  queries: string[],
): Promise<Result<Expansion>> {
  const walked = await walkLevels(start, MAX_DEPTH, queries, async (batch) => {
    const parents = await searchGroupDns(ctx, anyOf(attribute, batch), queries);
    return parents.ok
      ? { ok: true, value: { found: [], next: parents.value.value, incompleteReason: parents.value.incompleteReason } }
      : parents;
  });
  if (!walked.ok) return walked;
  const { asked, pending, incompleteReason } = walked.value;
  // Every level holds new groups: the start, then each level's new parents (the last, when cut
  // short, found but not asked about in turn).
  const levels = [...asked, ...(pending.length > 0 ? [pending] : [])];
  return {
    ok: true,
    value: {
      direct: start,
      all: levels.flat(),
      depth: levels.length - 1,
      ...(incompleteReason ? { incompleteReason } : {}),
    },
  };
}

/** The resolution's `complete` and `incompleteReason` from the reasons met on the way. */
function completeness(...reasons: (string | undefined)[]): Pick<GroupResolution, "complete" | "incompleteReason"> {
  const incompleteReason = joinReasons(...reasons);
  return incompleteReason ? { complete: false, incompleteReason } : { complete: true };
}

/**
 * The user's groups. The Group Membership Filter decides the strategy: with the AD in-chain rule
 * the server returns nested groups itself (or the portal finds the same from memberOf); otherwise
 * the filter (or, without one, the user's memberOf values) gives the direct groups and parents are
 * expanded here when nestedGroups is on.
 */
export async function resolveGroups(
  ctx: GroupContext,
  user: {
    dn: string;
    username: string;
    memberOf: string[];
    memberOfComplete: boolean;
    /**
     * The Group Membership Filter's answer for this user when the caller already has it (the
     * directory sync asks for a whole batch of users in one query): not asked again.
     */
    filterAnswer?: GroupQueryResult<string[]>;
  },
): Promise<Result<GroupResolution>> {
  const queries: string[] = [];
  const { config, groupFilter } = ctx.compiled;
  const classClauses = groupFilter?.inChainClassClauses;
  if (classClauses && walkable(classClauses) && user.memberOfComplete) {
    const scope = nestingScope("in_chain_expanded", "memberOf", classClauses);
    const walked = await cachedNesting(ctx, scope, user.memberOf, queries, () =>
      walkMemberOf(ctx, classClauses, user.memberOf, queries),
    );
    if (!walked.ok) return walked;
    // (A walk cut short is not used: the server answers instead.)
    if (walked.value)
      return { ok: true, value: { strategy: "in_chain_expanded", queries, ...walked.value, complete: true } };
    // Not resolvable by the portal here: the server answers the rule as written, below.
  }

  let direct: string[];
  let directCut: string | undefined;
  let strategy: GroupStrategy;
  let attribute: string | undefined;
  if (groupFilter) {
    const template = groupFilter.tree;
    if (!template.ok)
      return {
        ok: false,
        error: ldapError("invalid_filter", "groups", { detail: `Group Membership Filter: ${template.error.message}` }),
      };
    let answer = user.filterAnswer;
    if (!answer) {
      const tree = substituteFilter(template.value, { "0": user.dn, dn: user.dn, username: user.username });
      const found = await searchGroupDns(ctx, tree, queries);
      if (!found.ok) return found;
      answer = found.value;
    }
    direct = answer.value;
    directCut = answer.incompleteReason;
    strategy = groupFilter.usesInChainRule ? "in_chain" : "filter";
    attribute = groupFilter.memberAttribute;
  } else {
    direct = user.memberOf;
    directCut = user.memberOfComplete ? undefined : "memberOf returned in ranges";
    strategy = "member_of";
    attribute = "member";
  }

  if (strategy === "in_chain") {
    // The server returned every group; the user's own memberOf values tell which are direct.
    const own = new Set(user.memberOf.map(keyOf));
    const all = direct;
    direct = own.size > 0 ? all.filter((dn) => own.has(keyOf(dn))) : all;
    return { ok: true, value: { strategy, direct, all, queries, depth: 0, ...completeness(directCut) } };
  }

  if (!config.nestedGroups || !attribute || attribute.toLowerCase() === "memberuid" || direct.length === 0) {
    return { ok: true, value: { strategy, direct, all: direct, queries, depth: 0, ...completeness(directCut) } };
  }
  const start = direct;
  const scope = nestingScope(strategy, attribute, []);
  const expanded = await cachedNesting(ctx, scope, start, queries, () => expandParents(ctx, attribute, start, queries));
  if (!expanded.ok) return expanded;
  const { incompleteReason: expansionCut, ...expansion } = expanded.value ?? { direct, all: direct, depth: 0 };
  return { ok: true, value: { strategy, queries, ...expansion, ...completeness(directCut, expansionCut) } };
}

/**
 * The expansion of `start`, from the nesting cache when a sign-in finds a fresh one; otherwise
 * read from the directory and remembered, once the context allows it, unless it is incomplete.
 * Undefined when `expand` could not answer (the caller then asks the server another way).
 */
async function cachedNesting(
  ctx: GroupContext,
  scope: string,
  start: string[],
  queries: string[],
  expand: () => Promise<Result<Expansion | undefined>>,
): Promise<Result<(Expansion & { cachedNesting?: GroupResolution["cachedNesting"] }) | undefined>> {
  const startKeys = start.map(keyOf);
  const { config, nesting } = ctx.compiled;
  const ttlMs = config.nestedGroupsCacheSeconds * 1000;
  const cached = ctx.readCache ? nesting.read(scope, startKeys, ttlMs) : undefined;
  if (cached) {
    const { queries: queriesSaved, direct, all, depth } = cached.value;
    // Copies: callers own what they get, the cache keeps its own.
    return {
      ok: true,
      value: { direct: [...direct], all: [...all], depth, cachedNesting: { ageMs: cached.ageMs, queriesSaved } },
    };
  }
  // Stamped with the start: an entry read before a change never outlives one read after it.
  const startedAt = Date.now();
  const before = queries.length;
  const expanded = await expand();
  if (expanded.ok && expanded.value && ttlMs > 0 && !expanded.value.incompleteReason) {
    const { direct, all, depth } = expanded.value;
    const value = { direct: [...direct], all: [...all], depth, queries: queries.length - before };
    void ctx.mayRemember.then((allowed) => allowed && nesting.remember(scope, startKeys, value, startedAt));
  }
  return expanded;
}

/**
 * How the parents were found, within one configuration's cache (the configuration itself, where
 * and as whom they are searched, is the cache's version: registry.ts).
 */
function nestingScope(strategy: GroupStrategy, attribute: string, classClauses: FilterNode[]): string {
  return JSON.stringify([strategy, attribute.toLowerCase(), classClauses.map((n) => stringifyFilter(n))]);
}

/** True when `groups` holds `required` (compared as DNs: case and spacing do not matter). */
export function hasGroup(groups: string[], required: string): boolean {
  const wanted = keyOf(required);
  return groups.some((dn) => keyOf(dn) === wanted);
}
