import { describe, expect, it } from "vitest";
import { BATCH_SIZE, MAX_DEPTH, QUERY_BUDGET, walkLevels } from "./walk-levels";

/** A directory of group → parents, asked the way expandParents asks: one query per batch. */
function parentsOf(graph: Record<string, string[]>, queries: string[]) {
  return async (batch: string[]) => {
    queries.push(batch.join("|"));
    return { ok: true as const, value: { found: [], next: batch.flatMap((dn) => graph[dn.toLowerCase()] ?? []) } };
  };
}

describe("walkLevels", () => {
  it("walks level by level until no new group turns up, and stops at cycles", async () => {
    const queries: string[] = [];
    const graph = { "cn=a": ["cn=b"], "cn=b": ["CN=C", "cn=a"], "cn=c": ["cn=b"] };
    const walked = await walkLevels(["cn=a"], MAX_DEPTH, queries, parentsOf(graph, queries));
    expect(walked.ok && walked.value.asked).toEqual([["cn=a"], ["cn=b"], ["CN=C"]]);
    expect(walked.ok && walked.value.incompleteReason).toBeUndefined();
    expect(queries).toHaveLength(3);
  });

  it("stops at the level cap and keeps the level it found but did not ask about", async () => {
    const chain = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`cn=g${i}`, [`cn=g${i + 1}`]]));
    const queries: string[] = [];
    const walked = await walkLevels(["cn=g0"], MAX_DEPTH, queries, parentsOf(chain, queries));
    if (!walked.ok) throw new Error("walk failed");
    expect(walked.value.incompleteReason).toBe(`depth cap ${MAX_DEPTH} reached`);
    expect(walked.value.asked).toHaveLength(MAX_DEPTH);
    expect(walked.value.pending).toEqual([`cn=g${MAX_DEPTH}`]);
  });

  it("asks in batches and stops at the query budget", async () => {
    const wide = Array.from({ length: BATCH_SIZE * (QUERY_BUDGET + 5) }, (_, i) => `cn=g${i}`);
    const queries: string[] = [];
    const walked = await walkLevels(wide, MAX_DEPTH, queries, parentsOf({}, queries));
    if (!walked.ok) throw new Error("walk failed");
    expect(queries).toHaveLength(QUERY_BUDGET);
    expect(queries.every((query) => query.split("|").length === BATCH_SIZE)).toBe(true);
    expect(walked.value.incompleteReason).toBe(`query budget ${QUERY_BUDGET} spent`);
  });

  it("keeps walking past a query the server cut short, and reports each reason once", async () => {
    const queries: string[] = [];
    const graph: Record<string, string[]> = { "cn=a": ["cn=b"], "cn=b": ["cn=c"] };
    const walked = await walkLevels(["cn=a"], MAX_DEPTH, queries, async (batch) => {
      queries.push(batch.join("|"));
      const next = batch.flatMap((dn) => graph[dn] ?? []);
      return {
        ok: true as const,
        value: {
          found: [],
          next,
          ...(batch.includes("cn=c") ? {} : { incompleteReason: "size limit exceeded after 5 entries" }),
        },
      };
    });
    if (!walked.ok) throw new Error("walk failed");
    expect(walked.value.asked).toEqual([["cn=a"], ["cn=b"], ["cn=c"]]);
    expect(walked.value.incompleteReason).toBe("size limit exceeded after 5 entries");
  });

  it("returns the first failed query's error", async () => {
    const error = { code: "timeout", message: "m", hint: "h", step: "groups" } as never;
    const walked = await walkLevels(["cn=a"], MAX_DEPTH, [], async () => ({ ok: false as const, error }));
    expect(walked).toEqual({ ok: false, error });
  });
});
