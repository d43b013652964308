import { describe, expect, it } from "vitest";
import { nextSyncDue } from "./schedule";

describe("nextSyncDue", () => {
  const createdAt = new Date("2026-12-07T09:00:00Z");
  it("is a whole interval after the last run, or after the configuration was created", () => {
    expect(nextSyncDue({ syncIntervalMinutes: 15, createdAt }, undefined)).toEqual(new Date("2026-12-07T09:15:00Z"));
    expect(nextSyncDue({ syncIntervalMinutes: 15, createdAt }, new Date("2026-12-07T10:02:00Z"))).toEqual(
      new Date("2026-12-07T10:17:00Z"),
    );
  });
  it("is never with an interval of 0", () => {
    expect(nextSyncDue({ syncIntervalMinutes: 0, createdAt }, undefined)).toBeUndefined();
  });
});
