import { directorySetup, expect, type Page, test } from "./fixtures";

/** Bad input is refused at the field, with a message, and nothing is saved. */
test.describe.configure({ mode: "serial" });

const setup = directorySetup("openldap");

async function openNewForm(page: Page) {
  await page.goto("/admin/authentication/ldap/new");
  await page.getByRole("button", { name: "OpenLDAP", exact: true }).click();
  await page.getByLabel("Name", { exact: true }).fill("Validation");
  await page.getByLabel("URL", { exact: true }).fill(setup.url);
  await page.getByLabel("Search Base", { exact: true }).fill(setup.env.baseDn);
  await page.getByLabel("Service Account DN", { exact: true }).fill(setup.env.serviceAccount.dn);
  await page.getByLabel("Service Account Password", { exact: true }).fill(setup.env.serviceAccount.password);
  await page.getByText("Advanced settings", { exact: true }).click();
}

async function expectFieldError(page: Page, field: string, message: RegExp) {
  await page.getByRole("button", { name: "Save" }).click();
  const input = page.getByLabel(field, { exact: true });
  await expect(input).toHaveAttribute("aria-invalid", "true");
  const describedBy = await input.getAttribute("aria-describedby");
  await expect(page.locator(`[id="${describedBy}"]`)).toHaveText(message);
  await expect(page).toHaveURL(/\/new$/);
}

test.beforeAll(async ({ database }) => {
  await database.deleteLdapUsers();
  await database.deleteLdapConfigs();
});

test("each kind of bad input is refused at its field and nothing is saved", async ({ adminPage: page, database }) => {
  const cases: [string, string, RegExp][] = [
    ["URL", "http://127.0.0.1:3890", /must start with ldap:\/\/ or ldaps:\/\//],
    ["URL", "ldap://127.0.0.1:99999", /Invalid port 99999/],
    ["Search Filter", "(&(objectClass=inetOrgPerson)(uid={0})", /Missing '\)' at position/],
    ["Group Membership Filter", "(member={bogus})", /Unknown placeholder \{bogus\}/],
    ["Search Base", "dc=kasm,,dc=core", /Malformed DN/],
    ["CA Certificate (PEM)", "not a certificate", /PEM/],
    ["Connect Timeout", "50", /at least 100 ms/],
    ["Operation Timeout", "999999", /at most 120000 ms/],
    ["Nesting Cache", "-1", /0 or more seconds/],
  ];
  for (const [field, value, message] of cases) {
    await openNewForm(page);
    await page.getByLabel(field, { exact: true }).fill(value);
    await expectFieldError(page, field, message);
  }
  // The preset's placeholder must be replaced before saving.
  await openNewForm(page);
  await page.getByRole("button", { name: "Active Directory", exact: true }).click();
  await expectFieldError(page, "Search Filter", /Replace <allowed group DN>/);

  // A PEM block that is not a certificate gets through the form's shape check, not the server's.
  await openNewForm(page);
  await page
    .getByLabel("CA Certificate (PEM)", { exact: true })
    .fill("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----");
  await expectFieldError(page, "CA Certificate (PEM)", /cannot be read/);

  expect(await database.ldapConfigNames()).toEqual([]);
});

test("a duplicate name and a second configuration for the same domain with the same order are refused", async ({
  adminPage: page,
  ldapConfigsPage,
  database,
}) => {
  await ldapConfigsPage.create("Validation", setup);

  await openNewForm(page);
  await expectFieldError(page, "Name", /already exists/);

  await openNewForm(page);
  await page.getByLabel("Name", { exact: true }).fill("Second directory for kasm.core");
  await expectFieldError(
    page,
    "Display Order",
    /kasm\.core is also routed to "Validation" with the same display order/,
  );

  // With an order between them the second one is accepted.
  await page.getByLabel("Display Order", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/saved=/);
  expect(await database.ldapConfigNames()).toEqual(["Validation", "Second directory for kasm.core"]);
});

test("Detect reads the directory and suggests the preset", async ({ adminPage: page, database }) => {
  await page.goto("/admin/authentication/ldap/new");
  await page.getByLabel("URL", { exact: true }).fill(setup.url);
  await page.getByText("Advanced settings", { exact: true }).click();
  await page.getByLabel("StartTLS", { exact: true }).check();
  await page.getByLabel("CA Certificate (PEM)", { exact: true }).fill(setup.ca);
  await page.getByLabel("Service Account DN", { exact: true }).fill(setup.env.serviceAccount.dn);
  await page.getByLabel("Service Account Password", { exact: true }).fill(setup.env.serviceAccount.password);
  await page.getByRole("button", { name: "Detect" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Suggested preset: OpenLDAP" })).toBeVisible();
  await expect(page.getByLabel("Search Base", { exact: true })).toHaveValue(setup.env.baseDn);
  await database.deleteLdapConfigs();
});
