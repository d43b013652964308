import { describe, expect, it } from "vitest";
import {
  auditCsvHeader,
  auditCsvLine,
  auditExportFilename,
  auditJsonLine,
  csvField,
  type ExportedAuditEvent,
} from "./encode";

const event = (overrides: Partial<ExportedAuditEvent> = {}): ExportedAuditEvent => ({
  id: "ev1",
  at: new Date("2026-01-31T14:05:09.123Z"),
  actor: "admin@portal.local",
  action: "group.create",
  target: "Sales",
  outcome: "success",
  details: '{"priority":10}',
  ...overrides,
});

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
    [" padded ", '" padded "'],
    ["ünïcödé ✓", "ünïcödé ✓"],
  ])("%j → %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@cmd", "'@cmd"],
    ["\tTAB", "'\tTAB"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["=a,b", `"'=a,b"`],
  ])("a cell a spreadsheet would run as a formula: %j → %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("leaves a formula character after the first alone", () => {
    expect(csvField("a=b+c-d@e")).toBe("a=b+c-d@e");
  });
});

describe("audit CSV", () => {
  it("has a header and one CRLF-terminated record per event, details as JSON text", () => {
    expect(auditCsvHeader()).toBe("id,at,actor,action,target,outcome,details\r\n");
    expect(auditCsvLine(event())).toBe(
      'ev1,2026-01-31T14:05:09.123Z,admin@portal.local,group.create,Sales,success,"{""priority"":10}"\r\n',
    );
  });

  it("writes no target as an empty field and neutralises a target typed as a formula", () => {
    expect(auditCsvLine(event({ target: null, details: "{}" }))).toBe(
      "ev1,2026-01-31T14:05:09.123Z,admin@portal.local,group.create,,success,{}\r\n",
    );
    expect(auditCsvLine(event({ actor: "=1+1@portal.local", target: "-x" }))).toContain(",'=1+1@portal.local,");
    expect(auditCsvLine(event({ target: "-x" }))).toContain(",'-x,");
  });

  it("keeps details that are not JSON as their text", () => {
    expect(auditCsvLine(event({ details: "=not json" }))).toMatch(/,'=not json\r\n$/);
  });
});

describe("audit JSON lines", () => {
  it("is one JSON object per line, details as an object", () => {
    const line = auditJsonLine(event({ target: null, details: '{"groups":["a","b"],"note":"line\\nbreak"}' }));
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({
      id: "ev1",
      at: "2026-01-31T14:05:09.123Z",
      actor: "admin@portal.local",
      action: "group.create",
      target: null,
      outcome: "success",
      details: { groups: ["a", "b"], note: "line\nbreak" },
    });
  });

  it("keeps details that are not JSON as a string", () => {
    expect(JSON.parse(auditJsonLine(event({ details: "plain text" }))).details).toBe("plain text");
  });
});

it("names the file after the day of the export, in UTC", () => {
  expect(auditExportFilename("csv", new Date("2026-01-31T23:59:59Z"))).toBe("audit-2026-01-31.csv");
  expect(auditExportFilename("jsonl", new Date("2026-02-01T00:00:00Z"))).toBe("audit-2026-02-01.jsonl");
});
