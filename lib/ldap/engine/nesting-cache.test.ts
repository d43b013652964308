import { afterEach, describe, expect, it, vi } from "vitest";
import { clearNestingCache, NestingCache } from "./nesting-cache";

const cache = new NestingCache();

const expansion = { direct: ["cn=a"], all: ["cn=a", "cn=parent"], depth: 1, queries: 2 };

afterEach(() => {
  clearNestingCache();
  vi.useRealTimers();
});

describe("nesting cache", () => {
  it("returns what was stored for the same scope and set of direct groups, in any order", () => {
    cache.remember("scope", ["cn=a", "cn=b"], expansion, Date.now());
    expect(cache.read("scope", ["cn=b", "cn=a"], 60_000)?.value).toEqual(expansion);
    expect(cache.read("scope", ["cn=a"], 60_000)).toBeUndefined();
    expect(cache.read("other scope", ["cn=a", "cn=b"], 60_000)).toBeUndefined();
  });

  it("forgets an entry once it is as old as the cache time, and reads nothing with 0 seconds", () => {
    vi.useFakeTimers();
    cache.remember("scope", ["cn=a"], expansion, Date.now());
    expect(cache.read("scope", ["cn=a"], 0)).toBeUndefined();
    vi.advanceTimersByTime(59_999);
    expect(cache.read("scope", ["cn=a"], 60_000)?.ageMs).toBe(59_999);
    vi.advanceTimersByTime(1);
    expect(cache.read("scope", ["cn=a"], 60_000)).toBeUndefined();
  });

  it("keeps long keys (a user in a thousand groups) apart", () => {
    const many = Array.from({ length: 1000 }, (_, i) => `cn=bulk_group_${i},ou=groups,dc=kasm,dc=core`);
    cache.remember("scope", many, expansion, Date.now());
    expect(cache.read("scope", [...many].reverse(), 60_000)?.value).toEqual(expansion);
    expect(cache.read("scope", many.slice(1), 60_000)).toBeUndefined();
  });

  it("keeps what was read later: an older read does not overwrite it", () => {
    const fresh = { ...expansion, all: ["cn=a"] };
    cache.remember("scope", ["cn=a"], fresh, 2_000);
    cache.remember("scope", ["cn=a"], expansion, 1_000);
    expect(cache.read("scope", ["cn=a"], Number.MAX_SAFE_INTEGER)?.value).toEqual(fresh);
  });

  it("holds at most 200 000 DNs: large entries push out the oldest", () => {
    const big = { direct: [], all: Array.from({ length: 90_000 }, (_, i) => `cn=${i}`), depth: 1, queries: 1 };
    for (const name of ["cn=x", "cn=y", "cn=z"]) cache.remember("scope", [name], big, Date.now());
    expect(cache.read("scope", ["cn=x"], 60_000)).toBeUndefined();
    expect(cache.read("scope", ["cn=y"], 60_000)).toBeDefined();
    expect(cache.read("scope", ["cn=z"], 60_000)).toBeDefined();
  });

  it("holds at most 2000 sets, dropping the oldest first", () => {
    for (let i = 0; i <= 2000; i++) cache.remember("scope", [`cn=${i}`], expansion, Date.now());
    expect(cache.read("scope", ["cn=0"], 60_000)).toBeUndefined();
    expect(cache.read("scope", ["cn=1"], 60_000)).toBeDefined();
    expect(cache.read("scope", ["cn=2000"], 60_000)).toBeDefined();
  });
});
