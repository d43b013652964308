import { directorySetup, expect, test } from "./fixtures";

/**
 * A stored service account password the encryption key cannot decrypt (the key was lost or
 * changed) is reported to the administrator with its hint wherever the portal needs it, never
 * as a crash.
 */
test.describe.configure({ mode: "serial" });

const setup = directorySetup("openldap");
const CONFIG = "Unreadable secret";
const UNREADABLE = /cannot be decrypted.*Restore the original encryption key or enter the password again/;

test.beforeAll(async ({ database, asAdministrator }) => {
  await database.deleteLdapConfigs();
  await asAdministrator(({ ldapConfigsPage }) => ldapConfigsPage.create(CONFIG, setup));
  // What a changed ENCRYPTION_KEY leaves behind: a ciphertext that no longer authenticates.
  await database.encryptServicePasswordWithAnotherKey(CONFIG);
});

test.afterAll(async ({ database }) => database.deleteLdapConfigs());

test("Test LDAP Connection and the group picker say the stored password cannot be decrypted, and how to fix it", async ({
  adminPage: page,
}) => {
  await page.goto("/admin/authentication/ldap");
  await page.getByRole("button", { name: `Test LDAP Connection: ${CONFIG}` }).click();
  const dialog = page.getByRole("dialog", { name: `Test LDAP Connection: ${CONFIG}` });
  await dialog.getByLabel("Test Username").fill("test_user_1@kasm.core");
  await dialog.getByLabel("Test Password").fill(setup.env.users.test_user_1!.password);
  await dialog.getByRole("button", { name: "Run Test" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(UNREADABLE);

  await page.goto("/admin/groups/new");
  await page.getByRole("button", { name: "Search the directory…" }).click();
  const picker = page.getByRole("dialog", { name: "Find a directory group" });
  await picker.getByLabel("Configuration").selectOption({ label: CONFIG });
  await picker.getByLabel("Group name contains").fill("kasm");
  await picker.getByRole("button", { name: "Search" }).click();
  await expect(picker.getByRole("alert")).toHaveText(UNREADABLE);
});
