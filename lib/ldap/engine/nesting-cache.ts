import "server-only";
import { createHash } from "node:crypto";

/**
 * The parents found by expanding a set of direct groups, kept for a short while. A sign-in still
 * asks the directory for the user's own groups every time; only the nesting between groups, which
 * changes rarely, is reused for the same set of direct groups (like Keycloak's LDAP cache, but
 * bounded in time). Diagnose never reads it. Each configuration has its own (registry.ts), and
 * forgetting a configuration drops it.
 */
export interface CachedExpansion {
  /** The direct groups among the start set (for the memberOf walk, those matching the filter). */
  direct: string[];
  all: string[];
  depth: number;
  /** Queries the expansion cost when it was read from the directory. */
  queries: number;
}

const MAX_ENTRIES = 2_000;
/** About 20 MB of DNs at most, however many groups each entry holds. */
const MAX_DNS = 200_000;
/** Keys longer than this are hashed: a user in a thousand groups makes a long key. */
const MAX_KEY_CHARS = 1_000;

interface Stored {
  cache: NestingCache;
  key: string;
  storedAt: number;
  value: CachedExpansion;
}

/**
 * One memory budget for every configuration's cache (the bounds above hold for the process, not
 * per configuration): everything stored, least recently stored first, so the oldest goes first
 * whichever configuration it belongs to.
 */
const budget = { stored: new Set<Stored>(), dns: 0 };

const dnsOf = (value: CachedExpansion) => value.direct.length + value.all.length;

function keyOf(scope: string, directKeys: string[]): string {
  const key = JSON.stringify([scope, [...directKeys].sort()]);
  return key.length > MAX_KEY_CHARS ? createHash("sha256").update(key).digest("base64") : key;
}

function drop(item: Stored): void {
  if (!budget.stored.delete(item)) return;
  budget.dns -= dnsOf(item.value);
  item.cache.entries.delete(item.key);
}

/** One configuration's nesting between groups; `scope` tells apart the strategies that read it. */
export class NestingCache {
  /** @internal Read by the shared budget only. */
  readonly entries = new Map<string, Stored>();

  read(scope: string, directKeys: string[], ttlMs: number): { value: CachedExpansion; ageMs: number } | undefined {
    if (ttlMs <= 0) return undefined;
    const item = this.entries.get(keyOf(scope, directKeys));
    if (!item) return undefined;
    const ageMs = Date.now() - item.storedAt;
    if (ageMs >= ttlMs) {
      drop(item);
      return undefined;
    }
    return { value: item.value, ageMs };
  }

  /**
   * Stores what an expansion that started at `startedAt` found, unless the entry holds something
   * read later (a slow sign-in must not overwrite what Test just refreshed).
   */
  remember(scope: string, directKeys: string[], value: CachedExpansion, startedAt: number): void {
    const key = keyOf(scope, directKeys);
    const existing = this.entries.get(key);
    if (existing && existing.storedAt > startedAt) return;
    // Storing anew moves the entry to the end: the first one is the least recently stored.
    if (existing) drop(existing);
    while (budget.stored.size > 0 && (budget.stored.size >= MAX_ENTRIES || budget.dns + dnsOf(value) > MAX_DNS)) {
      drop(budget.stored.values().next().value!);
    }
    const item: Stored = { cache: this, key, storedAt: startedAt, value };
    budget.stored.add(item);
    budget.dns += dnsOf(value);
    this.entries.set(key, item);
  }

  /** Forgets this configuration's expansions. */
  clear(): void {
    for (const item of [...this.entries.values()]) drop(item);
  }
}

/** Forgets every configuration's expansions (the tests). */
export function clearNestingCache(): void {
  for (const item of [...budget.stored]) drop(item);
}
