import { afterEach, describe, expect, it, vi } from "vitest";
import { cachedExpansion, clearNestingCache, rememberExpansion } from "./nesting-cache";

const expansion = { direct: ["cn=a"], all: ["cn=a", "cn=parent"], depth: 1, queries: 2 };

afterEach(() => {
  clearNestingCache();
  vi.useRealTimers();
});

describe("nesting cache", () => {
  it("returns what was stored for the same scope and set of direct groups, in any order", () => {
    rememberExpansion("scope", ["cn=a", "cn=b"], expansion);
    expect(cachedExpansion("scope", ["cn=b", "cn=a"], 60_000)?.value).toEqual(expansion);
    expect(cachedExpansion("scope", ["cn=a"], 60_000)).toBeUndefined();
    expect(cachedExpansion("other scope", ["cn=a", "cn=b"], 60_000)).toBeUndefined();
  });

  it("forgets an entry once it is as old as the cache time, and reads nothing with 0 seconds", () => {
    vi.useFakeTimers();
    rememberExpansion("scope", ["cn=a"], expansion);
    expect(cachedExpansion("scope", ["cn=a"], 0)).toBeUndefined();
    vi.advanceTimersByTime(59_999);
    expect(cachedExpansion("scope", ["cn=a"], 60_000)?.ageMs).toBe(59_999);
    vi.advanceTimersByTime(1);
    expect(cachedExpansion("scope", ["cn=a"], 60_000)).toBeUndefined();
  });

  it("keeps long keys (a user in a thousand groups) apart", () => {
    const many = Array.from({ length: 1000 }, (_, i) => `cn=bulk_group_${i},ou=groups,dc=kasm,dc=core`);
    rememberExpansion("scope", many, expansion);
    expect(cachedExpansion("scope", [...many].reverse(), 60_000)?.value).toEqual(expansion);
    expect(cachedExpansion("scope", many.slice(1), 60_000)).toBeUndefined();
  });

  it("holds at most 2000 sets, dropping the oldest first", () => {
    for (let i = 0; i <= 2000; i++) rememberExpansion("scope", [`cn=${i}`], expansion);
    expect(cachedExpansion("scope", ["cn=0"], 60_000)).toBeUndefined();
    expect(cachedExpansion("scope", ["cn=1"], 60_000)).toBeDefined();
    expect(cachedExpansion("scope", ["cn=2000"], 60_000)).toBeDefined();
  });
});
