import { expect, type Locator, type Page } from "@playwright/test";
import type { DirectorySetup } from "../directories";
import { escapeRegExp } from "../text";

export interface LdapConfigurationOverrides {
  serviceAccountPassword?: string;
  enabled?: boolean;
  alternateDomains?: string;
  displayOrder?: number;
  maxDisableSharePercent?: number;
}

/** Authentication → LDAP: the list, "Create New Configuration", Test LDAP Connection, Delete. */
export class LdapConfigurationsPage {
  static readonly SERVICE_PASSWORD_FIELD = "Service Account Password";

  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/authentication/ldap");
  }

  row(configName: string): Locator {
    return this.page.getByRole("row", { name: new RegExp(escapeRegExp(configName)) });
  }

  /** Fills and saves "Create New Configuration" the way an administrator would. */
  async create(name: string, setup: DirectorySetup, overrides: LdapConfigurationOverrides = {}) {
    const { page } = this;
    const field = (label: string) => page.getByLabel(label, { exact: true });
    await this.goto();
    await page.getByRole("link", { name: "Create New Configuration" }).click();
    await page.getByRole("button", { name: setup.preset, exact: true }).click();
    await field("Name").fill(name);
    await field("URL").fill(setup.url);
    await field("Search Base").fill(setup.env.baseDn);
    await field("Search Filter").fill(setup.searchFilter);
    await field("Group Membership Filter").fill(setup.groupMembershipFilter);
    await field("Service Account DN").fill(setup.env.serviceAccount.dn);
    await field(LdapConfigurationsPage.SERVICE_PASSWORD_FIELD).fill(
      overrides.serviceAccountPassword ?? setup.env.serviceAccount.password,
    );
    if (overrides.enabled === false) await field("Enabled").uncheck();
    if (overrides.maxDisableSharePercent !== undefined)
      await field("Max Disable Share").fill(String(overrides.maxDisableSharePercent));
    await page.getByText("Advanced settings", { exact: true }).click();
    if (overrides.alternateDomains) await field("Alternate Username Domains").fill(overrides.alternateDomains);
    if (overrides.displayOrder !== undefined) await field("Display Order").fill(String(overrides.displayOrder));
    if (setup.startTls) await field("StartTLS").check();
    await field("CA Certificate (PEM)").fill(setup.ca);
    if (setup.requiredGroupDn) await field("Required Group").fill(setup.requiredGroupDn);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/admin\/authentication\/ldap\?saved=/);
    await expect(this.row(name)).toBeVisible();
  }

  /** Opens the row's Test LDAP Connection dialog and runs a test; returns the dialog. */
  async testConnection(configName: string, username: string, password: string): Promise<Locator> {
    await this.goto();
    await this.page.getByRole("button", { name: `Test LDAP Connection: ${configName}` }).click();
    const dialog = this.page.getByRole("dialog", { name: `Test LDAP Connection: ${configName}` });
    await dialog.getByLabel("Test Username").fill(username);
    await dialog.getByLabel("Test Password").fill(password);
    await dialog.getByRole("button", { name: "Run Test" }).click();
    const outcome = dialog.getByTestId("ldap-test-report").or(dialog.getByRole("alert")).first();
    await expect(outcome).toBeVisible({ timeout: 30_000 });
    return dialog;
  }

  async delete(configName: string) {
    await this.goto();
    await this.page.getByRole("button", { name: `Delete ${configName}` }).click();
    const dialog = this.page.getByRole("dialog", { name: `Delete "${configName}"?` });
    await dialog.getByRole("button", { name: "Delete Configuration" }).click();
    await expect(this.row(configName)).toHaveCount(0);
  }
}
