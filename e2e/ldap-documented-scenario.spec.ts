import { directorySetup, expect, type Page, type PortalDatabase, test } from "./fixtures";

/**
 * The documentation's "Verifying Configurations", through the browser, on each directory:
 * the administrator creates the configuration, tests the three users, maps "LDAP Group 1",
 * and the users sign in.
 */
test.describe.configure({ mode: "serial" });

const LDAP_GROUP_1 = {
  name: "LDAP Group 1",
  description: "Group mapped to kasm_group_1 in Active Directory",
  priority: 10,
};

async function cleanDirectoryUsers(database: PortalDatabase) {
  // Each directory's scenario starts without app users from another directory's run.
  await database.deleteLdapUsers();
  await database.deleteLdapConfigs();
  await database.deleteGroupNamed(LDAP_GROUP_1.name);
  await database.clearLoginThrottle();
}

async function profileGroups(page: Page) {
  await page.goto("/profile");
  return page.getByTestId("profile-group").locator("td:first-child").allTextContents();
}

for (const name of ["samba", "openldap", "dirsrv"] as const) {
  test.describe(`documented scenario on ${name}`, () => {
    const setup = directorySetup(name);
    const configName = `Kasm Test LDAP Settings`;
    const password = setup.env.users.test_user_1!.password;

    test.beforeAll(async ({ database }) => cleanDirectoryUsers(database));

    test("the administrator configures LDAP, tests the three users and maps LDAP Group 1", async ({
      adminPage: page,
      ldapConfigsPage,
      groupsPage,
    }) => {
      await ldapConfigsPage.create(configName, setup);

      const first = await ldapConfigsPage.testConnection(configName, "test_user_1@kasm.core", password);
      await expect(first.getByRole("status").filter({ hasText: "Success" })).toBeVisible();
      await page.keyboard.press("Escape");
      const second = await ldapConfigsPage.testConnection(configName, "test_user_2@kasm.core", password);
      await expect(second.getByRole("status").filter({ hasText: "Success" })).toBeVisible();
      await page.keyboard.press("Escape");
      const third = await ldapConfigsPage.testConnection(configName, "test_user_3@kasm.core", password);
      await expect(third.getByRole("alert")).toBeVisible();
      await expect(third.getByRole("status").filter({ hasText: "Success" })).toHaveCount(0);
      await page.keyboard.press("Escape");

      await groupsPage.create(
        { ...LDAP_GROUP_1, dn: setup.env.groups.kasm_group_1! },
        // The picker is exercised against the real directory on Samba.
        name === "samba" ? { pick: { configName, text: "kasm_group" } } : {},
      );
    });

    test("test_user_1 signs in and the profile shows All Users and LDAP Group 1", async ({ page, loginPage }) => {
      await loginPage.signIn("test_user_1@kasm.core", password);
      await expect(page).toHaveURL(/\/profile$/);
      expect((await profileGroups(page)).sort()).toEqual(["All Users", "LDAP Group 1"]);
      await expect(page.getByTestId("profile-email")).toHaveText(setup.env.users.test_user_1!.mail);
      await expect(page.getByTestId("profile-source")).toHaveText(`LDAP (${configName})`);
    });

    test("test_user_2 signs in and is only in All Users", async ({ page, loginPage }) => {
      await loginPage.signIn("test_user_2@kasm.core", password);
      await expect(page).toHaveURL(/\/profile$/);
      expect(await profileGroups(page)).toEqual(["All Users"]);
    });

    test("test_user_3 is denied with the generic message", async ({ page, loginPage }) => {
      await loginPage.signIn("test_user_3@kasm.core", password);
      await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();
      await expect(page).toHaveURL(/\/login/);
    });

    test("cleanup: the configuration is deleted", async ({ ldapConfigsPage }) => {
      await ldapConfigsPage.delete(configName);
    });
  });
}
