import { describe, expect, it } from "vitest";
import { exclusively } from "./paging-lock";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("exclusively", () => {
  it("runs holders of one key one after the other, in arrival order", async () => {
    const key = {};
    const events: string[] = [];
    const job = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await sleep(ms);
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      exclusively(key, 1_000, job("a", 20)),
      exclusively(key, 1_000, job("b", 5)),
      exclusively(key, 1_000, job("c", 1)),
    ]);
    expect(events).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
    expect(results).toEqual([
      { waited: false, value: "a" },
      { waited: false, value: "b" },
      { waited: false, value: "c" },
    ]);
  });

  it("does not make other keys wait", async () => {
    const events: string[] = [];
    await Promise.all([
      exclusively({}, 1_000, async () => (await sleep(20), events.push("slow"))),
      exclusively({}, 1_000, async () => events.push("fast")),
    ]);
    expect(events).toEqual(["fast", "slow"]);
  });

  it("gives up after waitMs without running, and the next holder still waits for the running one", async () => {
    const key = {};
    const events: string[] = [];
    const first = exclusively(
      key,
      1_000,
      async () => (events.push("first start"), await sleep(60), events.push("first end")),
    );
    const impatient = exclusively(key, 10, async () => events.push("impatient ran"));
    const third = exclusively(key, 1_000, async () => events.push("third"));
    expect(await impatient).toEqual({ waited: true });
    await Promise.all([first, third]);
    expect(events).toEqual(["first start", "first end", "third"]);
  });

  it("releases the key when a run throws", async () => {
    const key = {};
    await expect(exclusively(key, 1_000, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await exclusively(key, 10, async () => "next")).toEqual({ waited: false, value: "next" });
  });
});
