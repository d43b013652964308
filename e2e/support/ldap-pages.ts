import { expect, type Locator, type Page } from "@playwright/test";
import type { DirectorySetup } from "./directories";

export const SERVICE_PASSWORD_FIELD = "Service Account Password";

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Fills and saves "Create New Configuration" the way an administrator would. */
export async function createLdapConfiguration(page: Page, name: string, setup: DirectorySetup, overrides: { serviceAccountPassword?: string; enabled?: boolean; alternateDomains?: string; displayOrder?: number } = {}) {
  await page.goto("/admin/authentication/ldap");
  await page.getByRole("link", { name: "Create New Configuration" }).click();
  await page.getByRole("button", { name: setup.preset, exact: true }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("URL", { exact: true }).fill(setup.url);
  await page.getByLabel("Search Base", { exact: true }).fill(setup.env.baseDn);
  await page.getByLabel("Search Filter", { exact: true }).fill(setup.searchFilter);
  await page.getByLabel("Group Membership Filter", { exact: true }).fill(setup.groupMembershipFilter);
  await page.getByLabel("Service Account DN", { exact: true }).fill(setup.env.serviceAccount.dn);
  await page.getByLabel(SERVICE_PASSWORD_FIELD, { exact: true }).fill(overrides.serviceAccountPassword ?? setup.env.serviceAccount.password);
  if (overrides.enabled === false) await page.getByLabel("Enabled", { exact: true }).uncheck();
  await page.getByText("Advanced settings", { exact: true }).click();
  if (overrides.alternateDomains) await page.getByLabel("Alternate Username Domains", { exact: true }).fill(overrides.alternateDomains);
  if (overrides.displayOrder !== undefined) await page.getByLabel("Display Order", { exact: true }).fill(String(overrides.displayOrder));
  if (setup.startTls) await page.getByLabel("StartTLS", { exact: true }).check();
  await page.getByLabel("CA Certificate (PEM)", { exact: true }).fill(setup.ca);
  if (setup.requiredGroupDn) await page.getByLabel("Required Group", { exact: true }).fill(setup.requiredGroupDn);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/admin\/authentication\/ldap\?saved=/);
  await expect(page.getByRole("row", { name: new RegExp(escapeRegExp(name)) })).toBeVisible();
}

/** Opens the row's Test LDAP Connection dialog and runs a test; returns the dialog. */
export async function testLdapConnection(page: Page, configName: string, username: string, password: string): Promise<Locator> {
  await page.goto("/admin/authentication/ldap");
  await page.getByRole("button", { name: `Test LDAP Connection: ${configName}` }).click();
  const dialog = page.getByRole("dialog", { name: `Test LDAP Connection: ${configName}` });
  await dialog.getByLabel("Test Username").fill(username);
  await dialog.getByLabel("Test Password").fill(password);
  await dialog.getByRole("button", { name: "Run Test" }).click();
  await expect(dialog.getByTestId("ldap-test-report").or(dialog.getByRole("alert")).first()).toBeVisible({ timeout: 30_000 });
  return dialog;
}

export async function deleteLdapConfiguration(page: Page, configName: string) {
  await page.goto("/admin/authentication/ldap");
  await page.getByRole("button", { name: `Delete ${configName}` }).click();
  await page.getByRole("dialog", { name: `Delete "${configName}"?` }).getByRole("button", { name: "Delete Configuration" }).click();
  await expect(page.getByRole("row", { name: new RegExp(escapeRegExp(configName)) })).toHaveCount(0);
}
