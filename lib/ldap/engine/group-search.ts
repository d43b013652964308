import "server-only";
import type { Client, Entry } from "ldapts";
import { ldapError, type Result } from "../errors";
import { stringifyFilter, type FilterNode } from "../filter";
import { toLdaptsFilter } from "./ldapts-filter";
import type { CompiledConfiguration } from "./registry";
import { searchUpToLimit, type Scope } from "./search";

/** One login's group resolution: the service connection and what it may do. */
export interface GroupContext {
  client: Client;
  compiled: CompiledConfiguration;
  url: string;
  isAlive: () => boolean;
  /** Sign-ins read the nesting cache; diagnose always asks the directory (and refreshes the cache). */
  readCache: boolean;
  /** Resolves true when what was read may be remembered (a sign-in: once the user's bind succeeded). */
  mayRemember: Promise<boolean>;
}

/** What a group query found; `incompleteReason` when the server's size limit cut it short. */
export interface GroupQueryResult<T> {
  value: T;
  incompleteReason?: string;
}

/**
 * A group query, recorded in `queries` as effective filter text. Under the Search Base with its
 * scope unless `where` says otherwise.
 */
export async function searchGroupEntries(
  ctx: GroupContext,
  node: FilterNode,
  attributes: string[],
  queries: string[],
  where?: { base: string; scope: Scope },
): Promise<Result<GroupQueryResult<Entry[]>>> {
  queries.push(stringifyFilter(node));
  // ldapts would silently reconnect a dropped socket without binding: never search on it.
  if (!ctx.isAlive())
    return {
      ok: false,
      error: ldapError("connection_reset", "groups", { detail: `the connection to ${ctx.url} was closed` }),
    };
  const { config } = ctx.compiled;
  const base = where?.base ?? config.searchBase;
  const scope: Scope = where?.scope ?? (config.searchSubtree ? "sub" : "one");
  const found = await searchUpToLimit(ctx.client, base, { scope, filter: toLdaptsFilter(node), attributes }, "groups", {
    url: ctx.url,
    timeoutMs: config.operationTimeoutMs,
    observer: ctx.compiled.observer,
  });
  if (!found.ok) return found;
  const { entries, limitedAfter } = found.value;
  return {
    ok: true,
    value: {
      value: entries,
      ...(limitedAfter !== undefined ? { incompleteReason: `size limit exceeded after ${limitedAfter} entries` } : {}),
    },
  };
}

export async function searchGroupDns(
  ctx: GroupContext,
  node: FilterNode,
  queries: string[],
): Promise<Result<GroupQueryResult<string[]>>> {
  const found = await searchGroupEntries(ctx, node, ["1.1"], queries);
  return found.ok ? { ok: true, value: { ...found.value, value: found.value.value.map((entry) => entry.dn) } } : found;
}

/** What a walk over nesting found; `incompleteReason` when it was cut short. */
export interface Expansion {
  direct: string[];
  all: string[];
  depth: number;
  incompleteReason?: string;
}

/** Several reasons for one incomplete set, each once. */
export function joinReasons(...reasons: (string | undefined)[]): string | undefined {
  const distinct = [...new Set(reasons.filter((reason): reason is string => !!reason))];
  return distinct.length > 0 ? distinct.join("; ") : undefined;
}
