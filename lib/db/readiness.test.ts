import { describe, expect, it } from "vitest";
import { compareMigrations, readinessBody } from "./readiness";

const applied = (migration_name: string) => ({ migration_name, state: "applied" });
const failed = (migration_name: string) => ({ migration_name, state: "failed" });

describe("compareMigrations", () => {
  it("is ready when every shipped migration has an applied row", () => {
    expect(compareMigrations(["1_init", "2_next"], [applied("1_init"), applied("2_next")])).toEqual({ ready: true });
  });

  it("ignores applied rows of migrations this build does not ship (a newer instance migrated)", () => {
    expect(compareMigrations(["1_init"], [applied("1_init"), applied("2_newer")])).toEqual({ ready: true });
  });

  it("names every shipped migration without an applied row, in order", () => {
    expect(compareMigrations(["1_init", "2_next", "3_last"], [applied("1_init")])).toEqual({
      ready: false,
      reason: "migration_pending",
      migrations: ["2_next", "3_last"],
    });
  });

  it("names a failed migration before any pending one, shipped or not", () => {
    expect(compareMigrations(["1_init", "2_next"], [applied("1_init"), failed("9_elsewhere")])).toEqual({
      ready: false,
      reason: "migration_failed",
      migrations: ["9_elsewhere"],
    });
  });

  it("does not count a failed attempt that a later run applied", () => {
    expect(compareMigrations(["1_init"], [failed("1_init"), applied("1_init")])).toEqual({ ready: true });
  });
});

describe("readinessBody", () => {
  it("says ok, or which check failed and which migration", () => {
    expect(readinessBody({ ready: true })).toEqual({ status: "ok" });
    expect(readinessBody({ ready: false, reason: "database_unreachable" })).toEqual({
      status: "unavailable",
      reason: "database unreachable",
    });
    expect(readinessBody({ ready: false, reason: "database_timeout" }, 3_000)).toEqual({
      status: "unavailable",
      reason: "database did not answer within 3 s",
    });
    expect(readinessBody({ ready: false, reason: "database_not_migrated" })).toEqual({
      status: "unavailable",
      reason: "database not migrated",
    });
    expect(readinessBody({ ready: false, reason: "migration_pending", migrations: ["2_next", "3_last"] })).toEqual({
      status: "unavailable",
      reason: "migration pending: 2_next, 3_last",
      migrations: ["2_next", "3_last"],
    });
    expect(readinessBody({ ready: false, reason: "migration_failed", migrations: ["2_next"] })).toEqual({
      status: "unavailable",
      reason: "migration failed or unfinished: 2_next",
      migrations: ["2_next"],
    });
  });
});
