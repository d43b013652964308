import { describe, expect, it } from "vitest";
import { auditFilterQuery, describeAuditFilters, parseAuditFilters, parseUtcDateTime } from "./filters";

describe("parseUtcDateTime", () => {
  it("reads datetime-local's minutes and seconds as UTC; the end is that minute's or second's end", () => {
    expect(parseUtcDateTime("2026-01-31T14:05")).toEqual({
      start: new Date("2026-01-31T14:05:00Z"),
      end: new Date("2026-01-31T14:06:00Z"),
    });
    expect(parseUtcDateTime("2026-01-31T14:05:09")).toEqual({
      start: new Date("2026-01-31T14:05:09Z"),
      end: new Date("2026-01-31T14:05:10Z"),
    });
    expect(parseUtcDateTime("2026-01-31T14:05Z")?.start).toEqual(new Date("2026-01-31T14:05:00Z"));
  });

  it.each([
    "",
    "yesterday",
    "2026-01-31",
    "2026-01-31 14:05",
    "2026-02-30T10:00",
    "2026-13-01T10:00",
    "2026-01-31T24:00",
    "0050-01-01T00:00",
    "2026-01-31T14:05+02:00",
  ])("refuses %j", (text) => {
    expect(parseUtcDateTime(text)).toBeUndefined();
  });
});

describe("parseAuditFilters", () => {
  it("reads every filter from the query, trimmed", () => {
    const parsed = parseAuditFilters(
      new URLSearchParams({
        from: "2026-01-01T00:00",
        to: "2026-01-31T23:59",
        actor: "  admin@portal.local ",
        kind: "group",
        action: "group.create",
        outcome: "failure",
        page: "3",
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      values: {
        from: "2026-01-01T00:00",
        to: "2026-01-31T23:59",
        actor: "admin@portal.local",
        kind: "group",
        action: "group.create",
        outcome: "failure",
      },
      filters: {
        from: new Date("2026-01-01T00:00:00Z"),
        before: new Date("2026-02-01T00:00:00Z"),
        actor: "admin@portal.local",
        kind: "group",
        action: "group.create",
        outcome: "failure",
      },
    });
  });

  it("takes the first of repeated values (Next's searchParams) and no filter from an empty query", () => {
    expect(parseAuditFilters({ action: ["login", "user.create"], outcome: undefined })).toMatchObject({
      ok: true,
      filters: { action: "login" },
    });
    expect(parseAuditFilters({})).toEqual({
      ok: true,
      values: { from: "", to: "", actor: "", kind: "", action: "", outcome: "" },
      filters: {},
    });
  });

  it("gives each malformed field its own message", () => {
    const parsed = parseAuditFilters({
      from: "yesterday",
      to: "2026-02-30T10:00",
      actor: "x".repeat(321),
      kind: "Group!",
      action: "DROP TABLE",
      outcome: "maybe",
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors).toEqual({
      from: "“yesterday” is not a date and time: use YYYY-MM-DDTHH:MM, in UTC.",
      to: "“2026-02-30T10:00” is not a date and time: use YYYY-MM-DDTHH:MM, in UTC.",
      actor: "Enter at most 320 characters.",
      kind: "Choose a kind from the list.",
      action: "Choose an action from the list.",
      outcome: "Choose success or failure.",
    });
    // The values come back as typed, to show them again.
    expect(parsed.values.from).toBe("yesterday");
  });

  it("refuses a range that ends before it starts, at the To field; one minute is a range", () => {
    expect(parseAuditFilters({ from: "2026-01-02T10:00", to: "2026-01-01T10:00" })).toMatchObject({
      ok: false,
      errors: { to: "“To” is before “From”: choose a later time, or swap them." },
    });
    expect(parseAuditFilters({ from: "2026-01-02T10:00", to: "2026-01-02T10:00" })).toMatchObject({
      ok: true,
      filters: { from: new Date("2026-01-02T10:00:00Z"), before: new Date("2026-01-02T10:01:00Z") },
    });
  });

  it("shortens a long malformed date in its message", () => {
    const parsed = parseAuditFilters({ from: "9".repeat(100) });
    expect(!parsed.ok && parsed.errors.from).toBe(
      `“${"9".repeat(40)}…” is not a date and time: use YYYY-MM-DDTHH:MM, in UTC.`,
    );
  });
});

describe("auditFilterQuery and describeAuditFilters", () => {
  const values = { from: "2026-01-01T00:00", to: "", actor: "a b&c", kind: "", action: "login", outcome: "success" };

  it("keeps the non-empty values in the form's order, plus extras", () => {
    expect(auditFilterQuery(values).toString()).toBe(
      "from=2026-01-01T00%3A00&actor=a+b%26c&action=login&outcome=success",
    );
    expect(auditFilterQuery(values, { format: "csv" }).get("format")).toBe("csv");
    expect(auditFilterQuery({ from: "", to: "", actor: "", kind: "", action: "", outcome: "" }).toString()).toBe("");
  });

  it("describes the filters in force for the audit trail", () => {
    expect(describeAuditFilters(values)).toEqual({
      from: "2026-01-01T00:00",
      actor: "a b&c",
      action: "login",
      outcome: "success",
    });
  });
});
