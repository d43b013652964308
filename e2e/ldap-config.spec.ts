import { expect, test } from "@playwright/test";
import { createMappedGroup, execute } from "./support/db";
import { directorySetup } from "./support/directories";
import { createLdapConfiguration, deleteLdapConfiguration, escapeRegExp, testLdapConnection } from "./support/ldap-pages";
import { signInAsAdmin } from "./support/pages";

test.describe.configure({ mode: "serial" });

for (const name of ["samba", "openldap"] as const) {
  test.describe(`Test LDAP Connection on ${name}`, () => {
    const configName = `Kasm Test LDAP Settings (${name})`;
    const setup = directorySetup(name);

    test.beforeAll(() => {
      execute("DELETE FROM LdapConfig");
      execute('DELETE FROM "Group" WHERE name = ?', `Mapped ${name}`);
    });
    test.afterAll(() => {
      execute('DELETE FROM "Group" WHERE name = ?', `Mapped ${name}`);
    });

    test("the administrator creates the configuration with the preset and tests the documented users", async ({ page }) => {
      await signInAsAdmin(page);
      await createLdapConfiguration(page, configName, setup);
      createMappedGroup(`Mapped ${name}`, 500, [setup.env.groups.kasm_group_1!], configName);

      const ok = await testLdapConnection(page, configName, "test_user_1@kasm.core", setup.env.users.test_user_1!.password);
      await expect(ok.getByRole("status").filter({ hasText: "Success" })).toBeVisible();
      const groups = ok.getByTestId("test-ldap-groups");
      await expect(groups).toContainText("kasm_group_1");
      await expect(groups).toContainText("all_kasm_app_users");
      await expect(ok.getByTestId("test-app-groups")).toContainText(`Mapped ${name}`);
      await expect(ok.getByTestId("test-app-groups")).toContainText("All Users");
      await expect(ok.getByTestId("test-user-email")).toHaveText(setup.env.users.test_user_1!.mail);
      await expect(ok.getByTestId("trace-step").filter({ hasText: "User bind" })).toContainText("✓");
      await expect(ok.getByTestId("trace-step").filter({ hasText: "User search" })).toContainText(name === "samba" ? "(sAMAccountName=test_user_1)" : "(uid=test_user_1)");

      const denied = await testLdapConnection(page, configName, "test_user_3@kasm.core", setup.env.users.test_user_3!.password);
      const alert = denied.getByRole("alert");
      if (name === "samba") {
        await expect(alert).toContainText("Unable to locate the user");
        await expect(alert).toContainText("Check the Search Base and Search Filter");
      } else {
        await expect(alert).toContainText("not a member of the required group");
        await expect(alert).toContainText("Hint:");
      }

      const lookup = await testLdapConnection(page, configName, "test_user_2@kasm.core", "");
      await expect(lookup.getByRole("status").filter({ hasText: "Look-up succeeded" })).toBeVisible();
      await expect(lookup.getByTestId("trace-step").filter({ hasText: "User bind" })).toHaveCount(0);

      await page.goto("/admin/authentication/ldap");
      await expect(page.getByRole("row", { name: new RegExp(escapeRegExp(configName)) })).toContainText("Passed");
    });

    test("a wrong service account password is reported as the service bind failing", async ({ page }) => {
      await signInAsAdmin(page);
      const wrongName = `${configName} wrong secret`;
      await createLdapConfiguration(page, wrongName, setup, { serviceAccountPassword: "not-the-service-password", enabled: false });
      const dialog = await testLdapConnection(page, wrongName, "test_user_1@kasm.core", setup.env.users.test_user_1!.password);
      await expect(dialog.getByRole("alert")).toContainText("The service account could not bind");
      await expect(dialog.getByRole("alert")).toContainText("service_bind_failed");
      await page.keyboard.press("Escape");
      await deleteLdapConfiguration(page, wrongName);
      await deleteLdapConfiguration(page, configName);
    });
  });
}
