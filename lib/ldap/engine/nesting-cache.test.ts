import { afterEach, describe, expect, it, vi } from "vitest";
import { cachedExpansion, clearNestingCache, rememberExpansion } from "./nesting-cache";

const expansion = { direct: ["cn=a"], all: ["cn=a", "cn=parent"], depth: 1, queries: 2 };

afterEach(() => {
  clearNestingCache();
  vi.useRealTimers();
});

describe("nesting cache", () => {
  it("returns what was stored for the same scope and set of direct groups, in any order", () => {
    rememberExpansion("scope", ["cn=a", "cn=b"], expansion, Date.now());
    expect(cachedExpansion("scope", ["cn=b", "cn=a"], 60_000)?.value).toEqual(expansion);
    expect(cachedExpansion("scope", ["cn=a"], 60_000)).toBeUndefined();
    expect(cachedExpansion("other scope", ["cn=a", "cn=b"], 60_000)).toBeUndefined();
  });

  it("forgets an entry once it is as old as the cache time, and reads nothing with 0 seconds", () => {
    vi.useFakeTimers();
    rememberExpansion("scope", ["cn=a"], expansion, Date.now());
    expect(cachedExpansion("scope", ["cn=a"], 0)).toBeUndefined();
    vi.advanceTimersByTime(59_999);
    expect(cachedExpansion("scope", ["cn=a"], 60_000)?.ageMs).toBe(59_999);
    vi.advanceTimersByTime(1);
    expect(cachedExpansion("scope", ["cn=a"], 60_000)).toBeUndefined();
  });

  it("keeps long keys (a user in a thousand groups) apart", () => {
    const many = Array.from({ length: 1000 }, (_, i) => `cn=bulk_group_${i},ou=groups,dc=kasm,dc=core`);
    rememberExpansion("scope", many, expansion, Date.now());
    expect(cachedExpansion("scope", [...many].reverse(), 60_000)?.value).toEqual(expansion);
    expect(cachedExpansion("scope", many.slice(1), 60_000)).toBeUndefined();
  });

  it("keeps what was read later: an older read does not overwrite it", () => {
    const fresh = { ...expansion, all: ["cn=a"] };
    rememberExpansion("scope", ["cn=a"], fresh, 2_000);
    rememberExpansion("scope", ["cn=a"], expansion, 1_000);
    expect(cachedExpansion("scope", ["cn=a"], Number.MAX_SAFE_INTEGER)?.value).toEqual(fresh);
  });

  it("holds at most 200 000 DNs: large entries push out the oldest", () => {
    const big = { direct: [], all: Array.from({ length: 90_000 }, (_, i) => `cn=${i}`), depth: 1, queries: 1 };
    for (const name of ["cn=x", "cn=y", "cn=z"]) rememberExpansion("scope", [name], big, Date.now());
    expect(cachedExpansion("scope", ["cn=x"], 60_000)).toBeUndefined();
    expect(cachedExpansion("scope", ["cn=y"], 60_000)).toBeDefined();
    expect(cachedExpansion("scope", ["cn=z"], 60_000)).toBeDefined();
  });

  it("holds at most 2000 sets, dropping the oldest first", () => {
    for (let i = 0; i <= 2000; i++) rememberExpansion("scope", [`cn=${i}`], expansion, Date.now());
    expect(cachedExpansion("scope", ["cn=0"], 60_000)).toBeUndefined();
    expect(cachedExpansion("scope", ["cn=1"], 60_000)).toBeDefined();
    expect(cachedExpansion("scope", ["cn=2000"], 60_000)).toBeDefined();
  });
});
