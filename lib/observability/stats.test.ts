import { describe, expect, it } from "vitest";
import { emptyBuckets } from "./latency";
import { configurationKey, hourOf, mergeCell, StatsBuffer, type StatsCell } from "./stats";

const HOUR = 60 * 60_000;
const at = Date.UTC(2026, 11, 8, 9, 30);

describe("the in-memory sign-in statistics", () => {
  it("count per hour and configuration", () => {
    const buffer = new StatsBuffer();
    const ad = configurationKey("Kasm AD");
    buffer.signIn(ad, true, at);
    buffer.signIn(ad, false, at + 60_000);
    buffer.signIn(ad, true, at + HOUR);
    buffer.signIn("local", true, at);
    buffer.latency(ad, 3, at);
    buffer.latency(ad, 30_000, at);
    buffer.answered(ad, "ldaps://dc2.kasm.core", true, at + 1000);
    expect(buffer.size).toBe(3);

    const cells = buffer.drain();
    expect(buffer.size).toBe(0);
    expect(buffer.drain()).toEqual([]);
    const nine = cells.find((cell) => cell.key === ad && cell.hour === hourOf(at))!;
    expect(nine).toMatchObject({
      hour: Date.UTC(2026, 11, 8, 9),
      successes: 1,
      failures: 1,
      lastUrl: "ldaps://dc2.kasm.core",
      lastUrlAt: at + 1000,
      lastFailoverAt: at + 1000,
    });
    expect(nine.latency[2]).toBe(1);
    expect(nine.latency[13]).toBe(1);
    expect(cells.find((cell) => cell.key === ad && cell.hour === hourOf(at + HOUR))).toMatchObject({ successes: 1 });
    expect(cells.find((cell) => cell.key === "local")).toMatchObject({ successes: 1, failures: 0 });
    // Oldest hour first.
    expect(cells.map((cell) => cell.hour)).toEqual([...cells.map((cell) => cell.hour)].sort((a, b) => a - b));
  });

  it("take back what could not be written, added to what was counted since", () => {
    const buffer = new StatsBuffer();
    const ad = configurationKey("Kasm AD");
    buffer.signIn(ad, true, at);
    buffer.latency(ad, 4, at);
    const unwritten = buffer.drain();
    buffer.signIn(ad, false, at + 1000);
    buffer.latency(ad, 4, at + 1000);
    buffer.restore(unwritten);
    const [cell] = buffer.drain();
    expect(cell).toMatchObject({ successes: 1, failures: 1 });
    expect(cell!.latency[2]).toBe(2);
  });

  it("merge counts additively and keep the later URL and failover", () => {
    const cell = (fields: Partial<StatsCell>): StatsCell => ({
      hour: hourOf(at),
      key: "ldap:Kasm AD",
      successes: 0,
      failures: 0,
      latency: emptyBuckets(),
      ...fields,
    });
    const into = cell({ successes: 2, lastUrl: "ldaps://dc2", lastUrlAt: at + 5000, lastFailoverAt: at + 5000 });
    mergeCell(into, cell({ successes: 3, failures: 1, lastUrl: "ldaps://dc1", lastUrlAt: at + 1000 }));
    expect(into).toMatchObject({ successes: 5, failures: 1, lastUrl: "ldaps://dc2", lastFailoverAt: at + 5000 });
    mergeCell(into, cell({ lastUrl: "ldaps://dc1", lastUrlAt: at + 9000 }));
    expect(into).toMatchObject({ lastUrl: "ldaps://dc1", lastUrlAt: at + 9000, lastFailoverAt: at + 5000 });
  });
});
