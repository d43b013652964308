import { createHash } from "node:crypto";

/**
 * The parents found by expanding a set of direct groups, kept for a short while. A sign-in still
 * asks the directory for the user's own groups every time; only the nesting between groups, which
 * changes rarely, is reused for the same set of direct groups (like Keycloak's LDAP cache, but
 * bounded in time). Diagnose never reads it. Bounded by entries and by the DNs they hold.
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

const entries = new Map<string, { storedAt: number; value: CachedExpansion }>();
let storedDns = 0;

const dnsOf = (value: CachedExpansion) => value.direct.length + value.all.length;

function keyOf(scope: string, directKeys: string[]): string {
  const key = JSON.stringify([scope, [...directKeys].sort()]);
  return key.length > MAX_KEY_CHARS ? createHash("sha256").update(key).digest("base64") : key;
}

export function cachedExpansion(scope: string, directKeys: string[], ttlMs: number): { value: CachedExpansion; ageMs: number } | undefined {
  if (ttlMs <= 0) return undefined;
  const key = keyOf(scope, directKeys);
  const entry = entries.get(key);
  if (!entry) return undefined;
  const ageMs = Date.now() - entry.storedAt;
  if (ageMs >= ttlMs) {
    forget(key);
    return undefined;
  }
  return { value: entry.value, ageMs };
}

/**
 * Stores what an expansion that started at `startedAt` found, unless the entry holds something
 * read later (a slow sign-in must not overwrite what Test just refreshed).
 */
export function rememberExpansion(scope: string, directKeys: string[], value: CachedExpansion, startedAt: number): void {
  const key = keyOf(scope, directKeys);
  const existing = entries.get(key);
  if (existing && existing.storedAt > startedAt) return;
  // Re-inserting moves the key to the end: the first key is the least recently stored.
  forget(key);
  while (entries.size > 0 && (entries.size >= MAX_ENTRIES || storedDns + dnsOf(value) > MAX_DNS)) forget(entries.keys().next().value!);
  entries.set(key, { storedAt: startedAt, value });
  storedDns += dnsOf(value);
}

function forget(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  storedDns -= dnsOf(entry.value);
}

/** Forgets every expansion: the tests, and an administrator saving an LDAP configuration. */
export function clearNestingCache(): void {
  entries.clear();
  storedDns = 0;
}
