import type { Client } from "ldapts";
import type { LdapConfig } from "./config";
import { dnKey } from "./dn";
import { ldapError, type LdapError, type Result } from "./errors";
import { memberAttributeOf, renderFilterTree, stringifyFilter, usesInChainRule, type FilterNode } from "./filter";
import { anyOf, toLdaptsFilter } from "./ldapts-filter";
import { searchAll, type Scope } from "./search";

export type GroupStrategy = "in_chain" | "filter" | "member_of" | "none";

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
}

const MAX_DEPTH = 10;
const QUERY_BUDGET = 60;
const BATCH_SIZE = 100;

interface Context {
  client: Client;
  config: LdapConfig;
  url: string;
  isAlive: () => boolean;
}

const keyOf = dnKey;

async function search(ctx: Context, node: FilterNode, queries: string[]): Promise<Result<string[]>> {
  queries.push(stringifyFilter(node));
  // ldapts would silently reconnect a dropped socket without binding: never search on it.
  if (!ctx.isAlive()) return { ok: false, error: ldapError("connection_reset", "groups", { detail: `the connection to ${ctx.url} was closed` }) };
  const scope: Scope = ctx.config.searchSubtree ? "sub" : "one";
  const found = await searchAll(ctx.client, ctx.config.searchBase, { scope, filter: toLdaptsFilter(node), attributes: ["1.1"] }, "groups", {
    url: ctx.url,
    timeoutMs: ctx.config.operationTimeoutMs,
  });
  return found.ok ? { ok: true, value: found.value.map((entry) => entry.dn) } : found;
}

/**
 * Parents of the given groups, level by level: `(|(member=g1)(member=g2)…)` in batches, with a
 * visited set (cycles), a depth cap and a query budget, for directories without the in-chain rule.
 */
async function expandParents(ctx: Context, attribute: string, start: string[], queries: string[]) {
  const seen = new Map(start.map((dn) => [keyOf(dn), dn]));
  let frontier = start;
  let depth = 0;
  let truncated: string | undefined;
  while (frontier.length > 0) {
    if (depth >= MAX_DEPTH) {
      truncated = `stopped at ${MAX_DEPTH} levels of nesting`;
      break;
    }
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += BATCH_SIZE) {
      if (queries.length >= QUERY_BUDGET) {
        truncated = `stopped after ${QUERY_BUDGET} queries`;
        break;
      }
      const parents = await search(ctx, anyOf(attribute, frontier.slice(i, i + BATCH_SIZE)), queries);
      if (!parents.ok) return parents;
      for (const dn of parents.value) {
        const key = keyOf(dn);
        if (!seen.has(key)) {
          seen.set(key, dn);
          next.push(dn);
        }
      }
    }
    if (truncated) break;
    if (next.length > 0) depth += 1;
    frontier = next;
  }
  return { ok: true as const, value: { all: [...seen.values()], depth, truncated } };
}

/**
 * The user's groups. The Group Membership Filter decides the strategy: with the AD in-chain rule
 * the server returns nested groups itself; otherwise the filter (or, without one, the user's
 * memberOf values) gives the direct groups and parents are expanded here when nestedGroups is on.
 */
export async function resolveGroups(
  ctx: Context,
  user: { dn: string; username: string; memberOf: string[] },
): Promise<Result<GroupResolution>> {
  const queries: string[] = [];
  const template = ctx.config.groupMembershipFilter.trim();
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
  const expanded = await expandParents(ctx, attribute!, direct, queries);
  if (!expanded.ok) return expanded as { ok: false; error: LdapError };
  return { ok: true, value: { strategy, direct, queries, ...expanded.value } };
}

/** True when `groups` holds `required` (compared as DNs: case and spacing do not matter). */
export function hasGroup(groups: string[], required: string): boolean {
  const wanted = keyOf(required);
  return groups.some((dn) => keyOf(dn) === wanted);
}
