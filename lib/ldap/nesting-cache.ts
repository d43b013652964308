import { createHash } from "node:crypto";

/**
 * The parents found by expanding a set of direct groups, kept for a short while. A sign-in still
 * asks the directory for the user's own groups every time; only the nesting between groups, which
 * changes rarely, is reused for the same set of direct groups (like Keycloak's LDAP cache, but
 * bounded in time). Diagnose never reads it.
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
/** Keys longer than this are hashed: a user in a thousand groups makes a long key. */
const MAX_KEY_CHARS = 1_000;

const entries = new Map<string, { storedAt: number; value: CachedExpansion }>();

function keyOf(scope: string, directKeys: string[]): string {
  const key = `${scope}\n${[...directKeys].sort().join("\n")}`;
  return key.length > MAX_KEY_CHARS ? createHash("sha256").update(key).digest("base64") : key;
}

export function cachedExpansion(scope: string, directKeys: string[], ttlMs: number): { value: CachedExpansion; ageMs: number } | undefined {
  if (ttlMs <= 0) return undefined;
  const key = keyOf(scope, directKeys);
  const entry = entries.get(key);
  if (!entry) return undefined;
  const ageMs = Date.now() - entry.storedAt;
  if (ageMs >= ttlMs) {
    entries.delete(key);
    return undefined;
  }
  return { value: entry.value, ageMs };
}

export function rememberExpansion(scope: string, directKeys: string[], value: CachedExpansion): void {
  const key = keyOf(scope, directKeys);
  // Re-inserting moves the key to the end: the first key is the least recently stored.
  entries.delete(key);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { storedAt: Date.now(), value });
}

/** Forgets every expansion (tests, and when an administrator saves a configuration). */
export function clearNestingCache(): void {
  entries.clear();
}
