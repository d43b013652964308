import { directorySetup, expect, test } from "./fixtures";

/** Test LDAP Connection on Samba and OpenLDAP: the documented users, the trace, a wrong service password. */
test.describe.configure({ mode: "serial" });

for (const name of ["samba", "openldap"] as const) {
  test.describe(`Test LDAP Connection on ${name}`, () => {
    const configName = `Kasm Test LDAP Settings (${name})`;
    const setup = directorySetup(name);

    test.beforeAll(async ({ database }) => {
      await database.deleteLdapConfigs();
      await database.deleteGroupNamed(`Mapped ${name}`);
    });
    test.afterAll(async ({ database }) => {
      await database.deleteGroupNamed(`Mapped ${name}`);
    });

    test("the administrator creates the configuration with the preset and tests the documented users", async ({
      ldapConfigsPage,
      database,
    }) => {
      await ldapConfigsPage.create(configName, setup);
      await database.createMappedGroup(`Mapped ${name}`, 500, [setup.env.groups.kasm_group_1!], configName);

      const user1 = setup.env.users.test_user_1!;
      const ok = await ldapConfigsPage.testConnection(configName, "test_user_1@kasm.core", user1.password);
      await expect(ok.getByRole("status").filter({ hasText: "Success" })).toBeVisible();
      const groups = ok.getByTestId("test-ldap-groups");
      await expect(groups).toContainText("kasm_group_1");
      await expect(groups).toContainText("all_kasm_app_users");
      await expect(ok.getByTestId("test-app-groups")).toContainText(`Mapped ${name}`);
      await expect(ok.getByTestId("test-app-groups")).toContainText("All Users");
      await expect(ok.getByTestId("test-user-email")).toHaveText(setup.env.users.test_user_1!.mail);
      await expect(ok.getByTestId("trace-step").filter({ hasText: "User bind" })).toContainText("✓");
      await expect(ok.getByTestId("trace-step").filter({ hasText: "User search" })).toContainText(
        name === "samba" ? "(sAMAccountName=test_user_1)" : "(uid=test_user_1)",
      );

      const user3 = setup.env.users.test_user_3!;
      const denied = await ldapConfigsPage.testConnection(configName, "test_user_3@kasm.core", user3.password);
      const alert = denied.getByRole("alert");
      if (name === "samba") {
        await expect(alert).toContainText("Unable to locate the user");
        await expect(alert).toContainText("Check the Search Base and Search Filter");
      } else {
        await expect(alert).toContainText("not a member of the required group");
        await expect(alert).toContainText("Hint:");
      }

      const lookup = await ldapConfigsPage.testConnection(configName, "test_user_2@kasm.core", "");
      await expect(lookup.getByRole("status").filter({ hasText: "Look-up succeeded" })).toBeVisible();
      await expect(lookup.getByTestId("trace-step").filter({ hasText: "User bind" })).toHaveCount(0);

      await ldapConfigsPage.goto();
      await expect(ldapConfigsPage.row(configName)).toContainText("Passed");
    });

    test("a wrong service account password is reported as the service bind failing", async ({
      adminPage: page,
      ldapConfigsPage,
    }) => {
      const wrongName = `${configName} wrong secret`;
      const wrongSecret = { serviceAccountPassword: "not-the-service-password", enabled: false };
      await ldapConfigsPage.create(wrongName, setup, wrongSecret);
      const user1 = setup.env.users.test_user_1!;
      const dialog = await ldapConfigsPage.testConnection(wrongName, "test_user_1@kasm.core", user1.password);
      await expect(dialog.getByRole("alert")).toContainText("The service account could not bind");
      await expect(dialog.getByRole("alert")).toContainText("service_bind_failed");
      await page.keyboard.press("Escape");
      await ldapConfigsPage.delete(wrongName);
      await ldapConfigsPage.delete(configName);
    });
  });
}
