import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ADMIN, directorySetup, expect, LdapConfigurationsPage, LoginPage, test, type Page } from "./fixtures";
import { signIn, startPortal, type PortalInstance } from "./support/portal-instances";

/**
 * Configuration as code: the suite's portal, configured by hand for the kasm.core Samba AD, is
 * exported from the admin page; the document (with the variable that holds the bind password)
 * is imported through the admin page of a fresh portal and provisioned by another one at its
 * start (PORTAL_PROVISION_FILE). Both then have the same configuration, and test_user_1 signs in.
 */
test.describe.configure({ mode: "serial" });

const setup = directorySetup("samba");
const CONFIG = "Kasm AD (configuration as code)";
const GROUP = { name: "Configuration-as-code Group 1", priority: 70, dn: setup.env.groups.kasm_group_1! };
const BIND_ENV = "LDAP_KASM_BIND_PW";
const user1 = setup.env.users.test_user_1!;
const portalSettings = {
  ADMIN_USERNAME: ADMIN.username,
  ADMIN_PASSWORD: ADMIN.password,
  [BIND_ENV]: setup.env.serviceAccount.password,
};

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "configuration-as-code-"));
const documentFile = path.join(workDir, "portal.json");
const portals: PortalInstance[] = [];
let imported: PortalInstance;
let provisioned: PortalInstance;

test.beforeAll(async ({ database, asAdministrator }) => {
  await database.deleteLdapUsers();
  await database.deleteGroupNamed(GROUP.name);
  await database.deleteLdapConfigs();
  await asAdministrator(({ ldapConfigsPage }) => ldapConfigsPage.create(CONFIG, setup));
  await database.createMappedGroup(GROUP.name, GROUP.priority, [GROUP.dn], CONFIG, "Members of kasm_group_1");
});

test.afterAll(async ({ database }) => {
  await Promise.all(portals.map((portal) => portal.stop()));
  fs.rmSync(workDir, { recursive: true, force: true });
  await database.deleteLdapUsers();
  await database.deleteGroupNamed(GROUP.name);
  await database.deleteLdapConfigs();
});

async function start(name: string, settings: Record<string, string>): Promise<PortalInstance> {
  const portal = await startPortal(name, settings);
  portals.push(portal);
  return portal;
}

/** The LDAP form's values of a configuration (the write-only password field left out). */
async function formValues(page: Page, configName: string): Promise<Record<string, string | boolean>> {
  await page.goto("/admin/authentication/ldap");
  await page.getByRole("link", { name: `Edit ${configName}` }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await expect(page.getByLabel("URL", { exact: true })).not.toHaveValue("");
  return page
    .locator("form")
    .first()
    .evaluate((form: HTMLFormElement) => {
      const values: Record<string, string | boolean> = {};
      for (const element of Array.from(form.elements) as HTMLInputElement[]) {
        if (!element.name || ["password", "file", "hidden", "submit", "button"].includes(element.type)) continue;
        values[element.name] = element.type === "checkbox" ? element.checked : element.value;
      }
      return values;
    });
}

async function adminPageOn(browser: import("@playwright/test").Browser, portal: PortalInstance) {
  const context = await browser.newContext({ baseURL: portal.baseURL });
  const page = await context.newPage();
  await new LoginPage(page).signInAsAdmin();
  return page;
}

test("Download export gives every configuration and group, without the password", async ({
  adminPage: page,
  database,
  playwright,
  baseURL,
  signInElsewhere,
}) => {
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Configuration" }).click();
  await expect(page).toHaveURL(/\/admin\/configuration$/);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download export" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^portal-configuration-\d{4}-\d{2}-\d{2}\.json$/);
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(text).not.toContain(setup.env.serviceAccount.password);

  const document = JSON.parse(text) as { configs: Record<string, unknown>[]; groups: Record<string, unknown>[] };
  expect(document.configs).toEqual([
    expect.objectContaining({
      name: CONFIG,
      url: setup.url,
      searchBase: setup.env.baseDn,
      searchFilter: setup.searchFilter,
      serviceAccountDn: setup.env.serviceAccount.dn,
      caCertificate: setup.ca.trim(),
    }),
  ]);
  expect(document.groups).toContainEqual({
    name: GROUP.name,
    description: "Members of kasm_group_1",
    priority: GROUP.priority,
    ldapMappings: [{ configuration: CONFIG, dn: GROUP.dn }],
    settings: [],
  });
  const exports = await database.auditEvents("config");
  expect(exports[0]).toMatchObject({ actor: ADMIN.username, action: "config.export", outcome: "success" });

  // As an operator would: the bind password comes from a variable of the importing portal.
  document.configs[0]!.serviceAccountPasswordEnv = BIND_ENV;
  fs.writeFileSync(documentFile, JSON.stringify(document, null, 2));

  // Only an administrator downloads it.
  const anonymous = await playwright.request.newContext({ baseURL });
  const refused = await anonymous.get("/admin/configuration/export", { maxRedirects: 0 });
  expect(refused.status()).toBe(307);
  expect(refused.headers().location).toContain("/login");
  await anonymous.dispose();
  const username = `not-an-admin-${Date.now()}@portal.local`;
  const userId = await database.createLocalUser(username, "Not-An-Admin-Password-1");
  try {
    const userPage = await signInElsewhere(username, "Not-An-Admin-Password-1");
    await expect(userPage).toHaveURL(/\/profile$/);
    const forbidden = await userPage.context().request.get("/admin/configuration/export", { maxRedirects: 0 });
    expect(forbidden.status()).toBe(403);
    expect(await forbidden.text()).not.toContain(CONFIG);
  } finally {
    await database.deleteUser(userId);
  }
});

test("imported into a fresh portal from its admin page, the configuration is the same and test_user_1 signs in", async ({
  browser,
  adminPage,
}) => {
  test.setTimeout(300_000);
  imported = await start("imported", portalSettings);
  provisioned = await start("provisioned", { ...portalSettings, PORTAL_PROVISION_FILE: documentFile });
  await imported.ready;

  const page = await adminPageOn(browser, imported);
  try {
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Configuration" }).click();
    const apply = page.getByRole("button", { name: "Apply" });
    await expect(apply).toBeDisabled();

    // A bad field is named by its path, and nothing is written.
    await page
      .getByLabel("Configuration document (JSON)")
      .fill(fs.readFileSync(documentFile, "utf8").replace(`"url": "${setup.url}"`, '"url": "http://dc.kasm.core"'));
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText(
      "configs[0].url: URL must start with ldap:// or ldaps://",
    );
    await expect(apply).toBeDisabled();

    await page.getByLabel("Document file").setInputFiles(documentFile);
    await page.getByRole("button", { name: "Preview" }).click();
    const planned = page.getByRole("region", { name: "Planned changes" });
    await expect(planned).toContainText(`create configuration "${CONFIG}"`);
    await expect(planned).toContainText(`Service Account Password from ${BIND_ENV}`);
    await expect(planned).toContainText(`create group "${GROUP.name}": priority ${GROUP.priority}; + LDAP group`);
    await page.goto("/admin/authentication/ldap");
    await expect(new LdapConfigurationsPage(page).row(CONFIG)).toHaveCount(0);

    await page.goto("/admin/configuration");
    await page.getByLabel("Document file").setInputFiles(documentFile);
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("region", { name: "Planned changes" })).toBeVisible();
    await apply.click();
    const applied = page.getByRole("region", { name: "Applied changes" });
    await expect(applied).toContainText(`created configuration "${CONFIG}"`);
    await expect(applied).toContainText(`created group "${GROUP.name}"`);

    // The same configuration as on the portal it came from, field by field.
    const original = await formValues(adminPage, CONFIG);
    expect(original).toMatchObject({ name: CONFIG, url: setup.url, searchFilter: setup.searchFilter });
    expect(await formValues(page, CONFIG)).toEqual(original);

    // Importing it again changes nothing.
    await page.goto("/admin/configuration");
    await page.getByLabel("Document file").setInputFiles(documentFile);
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("region", { name: "Planned changes" })).toContainText(
      "Nothing to change: the portal already matches the document.",
    );
    await expect(apply).toBeDisabled();
  } finally {
    await page.context().close();
  }

  const context = await browser.newContext({ baseURL: imported.baseURL });
  try {
    const userPage = await context.newPage();
    await new LoginPage(userPage).signIn("test_user_1@kasm.core", user1.password);
    await expect(userPage).toHaveURL(/\/profile$/);
    await expect(userPage.getByTestId("profile-group").filter({ hasText: GROUP.name })).toHaveCount(1);
  } finally {
    await context.close();
  }
});

test("a portal started with PORTAL_PROVISION_FILE has the configuration without clicking", async ({ browser }) => {
  test.setTimeout(240_000);
  await provisioned.ready;
  expect(provisioned.output()).toMatch(/provisioned: Created 2, updated \d+, \d+ unchanged/);

  const page = await adminPageOn(browser, provisioned);
  try {
    const ldapPage = new LdapConfigurationsPage(page);
    await ldapPage.goto();
    await expect(ldapPage.row(CONFIG)).toContainText(setup.url);
    await expect(ldapPage.row(CONFIG)).toContainText("@kasm.core");
    await page.goto("/admin/groups");
    await expect(page.getByRole("row", { name: new RegExp(GROUP.name) })).toContainText(GROUP.dn);
  } finally {
    await page.context().close();
  }
  expect((await signIn(provisioned.baseURL, "test_user_1@kasm.core", user1.password)).outcome).toBe("ok");
});

test("a provisioning file with a bad field stops the start, naming the field", async () => {
  test.setTimeout(240_000);
  const bad = path.join(workDir, "bad.json");
  const document = JSON.parse(fs.readFileSync(documentFile, "utf8")) as { configs: Record<string, unknown>[] };
  document.configs[0]!.searchBase = "DC=kasm,,DC=core";
  fs.writeFileSync(bad, JSON.stringify(document));
  const portal = await start("bad-provisioning", { ...portalSettings, PORTAL_PROVISION_FILE: bad });
  await expect(portal.ready).rejects.toThrow();
  await expect
    .poll(() => portal.output(), { timeout: 60_000 })
    .toContain(`[portal] PORTAL_PROVISION_FILE ${bad}: configs[0].searchBase: `);
  await expect
    .poll(
      () =>
        fetch(`${portal.baseURL}/api/health/live`).then(
          () => "answering",
          () => "stopped",
        ),
      { timeout: 30_000 },
    )
    .toBe("stopped");
});
