import { directorySetup, expect, type Page, type PortalDatabase, test } from "./fixtures";

/**
 * A group mapping names the configuration it applies to. OpenLDAP and 389 DS both hold
 * CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core: a mapping written for 389 DS must not be honoured
 * when OpenLDAP found the user, or any second directory could hand out any app group.
 */
test.describe.configure({ mode: "serial" });

const openldap = directorySetup("openldap");
const dirsrv = directorySetup("dirsrv");
const FIRST = "OpenLDAP tried first";
const SECOND = "389 DS tried second";
const GROUP = "Second Directory Group";
const dn = dirsrv.env.groups.kasm_group_1!;

async function profileGroups(page: Page) {
  await page.goto("/profile");
  return (await page.getByTestId("profile-group").locator("td:first-child").allTextContents()).sort();
}

async function clean(database: PortalDatabase) {
  await database.deleteLdapUsers();
  await database.deleteLdapConfigs();
  await database.clearLoginThrottle();
  await database.deleteGroupNamed(GROUP);
}

test.beforeAll(async ({ database, asAdministrator }) => {
  await clean(database);
  expect(openldap.env.groups.kasm_group_1).toBe(dn);
  await asAdministrator(async ({ ldapConfigsPage }) => {
    await ldapConfigsPage.create(FIRST, openldap, { displayOrder: 0 });
    await ldapConfigsPage.create(SECOND, dirsrv, { displayOrder: 1 });
  });
});

test.afterAll(async ({ database }) => clean(database));

test("the group form asks which configuration returns the DN, and saves it with the mapping", async ({
  adminPage: page,
  database,
}) => {
  await page.goto("/admin/groups/new");
  await page.getByLabel("Name", { exact: true }).fill(GROUP);
  await page.getByLabel("Priority", { exact: true }).fill("30");
  // Two configurations: none is preselected, and a DN without one is refused at the field.
  await expect(page.getByLabel("Configuration", { exact: true })).toHaveValue("");
  await page.getByLabel("LDAP Group", { exact: true }).fill(dn);
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByText("Choose the LDAP configuration that returns this group")).toBeVisible();
  await expect(page.getByLabel("Configuration", { exact: true })).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Configuration", { exact: true }).selectOption({ label: SECOND });
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page).toHaveURL(/\/admin\/groups\?notice=created/);
  await expect(page.getByTestId("group-row").filter({ hasText: GROUP })).toContainText(`via ${SECOND}`);
  expect((await database.groupMappings(GROUP)).map((mapping) => ({ name: mapping.config }))).toEqual([
    { name: SECOND },
  ]);
});

test("Test LDAP Connection previews the mapping only for the configuration it names", async ({
  adminPage: page,
  ldapConfigsPage,
}) => {
  const second = await ldapConfigsPage.testConnection(
    SECOND,
    "test_user_1@kasm.core",
    dirsrv.env.users.test_user_1!.password,
  );
  await expect(second.getByTestId("test-app-groups")).toContainText(GROUP);
  await page.keyboard.press("Escape");
  const first = await ldapConfigsPage.testConnection(
    FIRST,
    "test_user_1@kasm.core",
    openldap.env.users.test_user_1!.password,
  );
  await expect(first.getByTestId("test-ldap-groups")).toContainText("kasm_group_1");
  await expect(first.getByTestId("test-app-groups")).toContainText("All Users");
  await expect(first.getByTestId("test-app-groups")).not.toContainText(GROUP);
});

test("a user found by the other directory, in a group with the same DN, does not get the group", async ({
  page,
  loginPage,
  database,
}) => {
  await loginPage.signIn("test_user_1@kasm.core", openldap.env.users.test_user_1!.password);
  await expect(page).toHaveURL(/\/profile$/);
  expect(await profileGroups(page)).toEqual(["All Users"]);
  expect(await database.configurationOf("test_user_1@kasm.core")).toBe(FIRST);
});

test("the same user found by the configuration the mapping names gets it", async ({ page, loginPage, database }) => {
  // OpenLDAP off: 389 DS is now the configuration that finds test_user_1.
  await database.setLdapConfigEnabledByName(FIRST, false);
  // Another directory's entry is another app account; the first one holds the username.
  await database.deleteLdapUsers();
  await loginPage.signIn("test_user_1@kasm.core", dirsrv.env.users.test_user_1!.password);
  await expect(page).toHaveURL(/\/profile$/);
  expect(await profileGroups(page)).toEqual(["All Users", GROUP]);
});
