import fs from "node:fs";
import type { Download, Page } from "@playwright/test";
import { ADMIN, expect, newAdminContext, test } from "./fixtures";

/**
 * The Audit page's filters (a GET form, without JavaScript) and its downloads: every event the
 * filters match, as CSV and as JSON lines, the download itself audited; refused to non-admins.
 */

// A local account whose username a spreadsheet would run as a formula: the CSV must neutralise it.
const MEMBER = { username: `-audit-export-${Date.now()}@portal.local`, password: "Audit-Export-Password-1" };
const COLUMNS = ["id", "at", "actor", "action", "target", "outcome", "details"];

let memberId: string;

test.beforeAll(async ({ database }) => {
  memberId = await database.createLocalUser(MEMBER.username, MEMBER.password);
});

test.afterAll(async ({ database }) => {
  await database.deleteUser(memberId);
});

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    const next = text[i + 1];
    if (quoted && char === '"' && next === '"') {
      field += '"';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += char;
    } else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && next === "\n") {
      records.push([...record, field]);
      record = [];
      field = "";
      i += 1;
    } else {
      field += char;
    }
  }
  expect(record.length + field.length, "the file ends with CRLF").toBe(0);
  return records;
}

async function download(page: Page, link: string): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: link }).click()]);
  return { file, text: fs.readFileSync((await file.path())!, "utf8") };
}

test("a filtered view downloads as CSV and JSON lines: all matching rows, a known event, the download audited", async ({
  browser,
  signInElsewhere,
  database,
}) => {
  // The known event: the member's sign-in, after `from`.
  const from = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
  const member = await signInElsewhere(MEMBER.username, MEMBER.password);
  await expect(member).toHaveURL(/\/profile$/);

  // The filters through the form, with JavaScript off: a plain GET form.
  const context = await newAdminContext(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/admin/audit");
  await page.getByLabel("From (UTC)").fill(from);
  await page.getByLabel("Action").selectOption("login");
  await page.getByLabel("Outcome").selectOption("success");
  await page.getByRole("button", { name: "Filter" }).click();
  // Empty fields leave the URL: the filtered view bookmarks as exactly its filters.
  await expect(page).toHaveURL(
    `/admin/audit?${new URLSearchParams({ from, action: "login", outcome: "success" }).toString()}`,
  );
  await expect(page.getByLabel("From (UTC)")).toHaveValue(from);
  await expect(page.getByLabel("Action")).toHaveValue("login");

  const rows = page.getByTestId("audit-row");
  await expect(rows.filter({ hasText: MEMBER.username })).toHaveCount(1);
  for (const action of await rows.locator("td:nth-child(3)").allTextContents()) expect(action).toBe("login");
  for (const outcome of await rows.locator("td:nth-child(5)").allTextContents()) expect(outcome).toBe("success");
  const total = Number(/of (\d+)$/.exec((await page.getByTestId("audit-range").textContent()) ?? "")?.[1]);
  expect(total).toBeGreaterThanOrEqual(1);

  const csv = await download(page, "Download CSV");
  expect(csv.file.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...records] = parseCsv(csv.text);
  expect(header).toEqual(COLUMNS);
  expect(records).toHaveLength(total);
  const fromTime = Date.parse(`${from}:00Z`);
  for (const record of records) {
    const row = Object.fromEntries(COLUMNS.map((column, i) => [column, record[i]]));
    expect(row).toMatchObject({ action: "login", outcome: "success" });
    expect(Date.parse(row.at!)).toBeGreaterThanOrEqual(fromTime);
    expect(() => JSON.parse(row.details!)).not.toThrow();
  }
  const memberRecords = records.filter((record) => record[2] === `'${MEMBER.username}`);
  expect(memberRecords, "the member's sign-in, its actor neutralised as a formula").toHaveLength(1);
  expect(JSON.parse(memberRecords[0]![6]!)).toMatchObject({ clientAddress: "127.0.0.1" });
  expect(csv.text).not.toContain(MEMBER.password);

  const jsonl = await download(page, "Download JSON lines");
  expect(jsonl.file.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.jsonl$/);
  expect(jsonl.text.endsWith("\n")).toBe(true);
  const lines = jsonl.text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.map((line) => line.id)).toEqual(records.map((record) => record[0]));
  for (const line of lines) expect(line).toMatchObject({ action: "login", outcome: "success" });
  expect(lines.find((line) => line.actor === MEMBER.username)).toMatchObject({
    target: MEMBER.username,
    details: { clientAddress: "127.0.0.1" },
  });
  await context.close();

  // Both downloads are in the audit trail: who, which filters, how many rows.
  const exports = (await database.auditEvents("audit")).filter((event) => event.action === "audit.export").slice(0, 2);
  expect(exports.map((event) => [event.actor, event.outcome, JSON.parse(event.details)])).toEqual(
    ["jsonl", "csv"].map((format) => [
      ADMIN.username,
      "success",
      { format, filters: { from, action: "login", outcome: "success" }, rows: total },
    ]),
  );
});

test("a malformed filter is named at its field, and the download refuses it", async ({ adminPage: page }) => {
  await page.goto("/admin/audit?from=yesterday&to=2026-01-01T10:00&outcome=maybe&action=login");
  await expect(page.getByLabel("From (UTC)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("“yesterday” is not a date and time: use YYYY-MM-DDTHH:MM, in UTC.")).toBeVisible();
  await expect(page.getByLabel("Outcome")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Choose success or failure.")).toBeVisible();
  await expect(page.getByLabel("To (UTC)")).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
  await expect(page.getByTestId("audit-row")).toHaveCount(0);

  await page.goto("/admin/audit?from=2026-01-02T10:00&to=2026-01-01T10:00");
  await expect(page.getByText("“To” is before “From”: choose a later time, or swap them.")).toBeVisible();

  const refused = await page.request.get("/admin/audit/export?format=csv&outcome=maybe");
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toBe("outcome: Choose success or failure.\n");
  const noFormat = await page.request.get("/admin/audit/export?format=xlsx");
  expect(noFormat.status()).toBe(400);
  expect(await noFormat.text()).toContain("format=csv or format=jsonl");
});

test("a signed-in non-admin gets 403 from the download, an anonymous caller the sign-in page", async ({
  signInElsewhere,
  playwright,
  baseURL,
}) => {
  const url = "/admin/audit/export?format=csv&action=login";
  const member = await signInElsewhere(MEMBER.username, MEMBER.password);
  await expect(member).toHaveURL(/\/profile$/);
  const refused = await member.context().request.get(url, { maxRedirects: 0 });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).not.toContain("id,at,actor");

  const anonymous = await playwright.request.newContext({ baseURL });
  const redirected = await anonymous.get(url, { maxRedirects: 0 });
  expect(redirected.status()).toBe(307);
  expect(redirected.headers().location).toContain("/login");
  await anonymous.dispose();
});
