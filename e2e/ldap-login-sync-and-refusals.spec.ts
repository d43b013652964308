import { execSync } from "node:child_process";
import { Attribute, Change } from "ldapts";
import { directorySetup, expect, type Page, test, USER_THROTTLE_LIMIT, withDirectoryAdmin } from "./fixtures";

/**
 * Directory sign-ins beyond the documented scenario, on OpenLDAP: groups and mail re-synced at
 * every login, one app user whatever the case typed, the refusals (wrong password, directory
 * down, disabled configuration or app user, no auto-create, throttling), and an admin mapping.
 */
test.describe.configure({ mode: "serial" });

const setup = directorySetup("openldap");
const CONFIG = "OpenLDAP sign-in";
const user1 = setup.env.users.test_user_1!;
const group1 = setup.env.groups.kasm_group_1!;

async function profileGroups(page: Page) {
  await page.goto("/profile");
  return (await page.getByTestId("profile-group").locator("td:first-child").allTextContents()).sort();
}

test.beforeAll(async ({ database, asAdministrator }) => {
  await database.deleteLdapUsers();
  await database.deleteGroupNamed("LDAP Group 1");
  await database.deleteLdapConfigs();
  await database.clearLoginThrottle();
  await asAdministrator(({ ldapConfigsPage }) => ldapConfigsPage.create(CONFIG, setup));
  await database.createMappedGroup("LDAP Group 1", 10, [group1], CONFIG, "Group mapped to kasm_group_1");
});

test.afterAll(async ({ database }) => {
  await database.unmapGroup("Administrators");
  await database.deleteLdapConfigs();
  await database.deleteLdapUsers();
  await database.deleteGroupNamed("LDAP Group 1");
});

test("removing test_user_1 from kasm_group_1 in the directory drops LDAP Group 1 at the next login", async ({
  page,
  loginPage,
  database,
}) => {
  await loginPage.signIn("test_user_1@kasm.core", user1.password);
  await expect(page).toHaveURL(/\/profile$/);
  expect(await profileGroups(page)).toEqual(["All Users", "LDAP Group 1"]);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);

  // test_user_1 stays allowed (now directly in all_kasm_app_users) but leaves kasm_group_1.
  const allowed = setup.env.groups.all_kasm_app_users!;
  const member = (operation: "add" | "delete", group: string) =>
    withDirectoryAdmin(setup, (client) =>
      client.modify(
        group,
        new Change({ operation, modification: new Attribute({ type: "member", values: [user1.dn] }) }),
      ),
    );
  await member("add", allowed);
  await member("delete", group1);
  try {
    await loginPage.signIn("test_user_1@kasm.core", user1.password);
    await expect(page).toHaveURL(/\/profile$/);
    expect(await profileGroups(page)).toEqual(["All Users"]);
    expect(await database.ldapGroupsOf("test_user_1@kasm.core")).toEqual([]);
  } finally {
    await member("add", group1);
    await member("delete", allowed);
  }
});

test("a changed mail in the directory shows on the profile after the next login", async ({ page, loginPage }) => {
  const changed = "first.user@kasm.core";
  await withDirectoryAdmin(setup, (client) =>
    client.modify(
      user1.dn,
      new Change({ operation: "replace", modification: new Attribute({ type: "mail", values: [changed] }) }),
    ),
  );
  try {
    await loginPage.signIn("test_user_1@kasm.core", user1.password);
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByTestId("profile-email")).toHaveText(changed);
  } finally {
    await withDirectoryAdmin(setup, (client) =>
      client.modify(
        user1.dn,
        new Change({ operation: "replace", modification: new Attribute({ type: "mail", values: [user1.mail] }) }),
      ),
    );
  }
});

test("TEST_USER_1@KASM.CORE signs in as the same app user", async ({ page, loginPage, database }) => {
  await loginPage.signIn("TEST_USER_1@KASM.CORE", user1.password);
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId("profile-username")).toHaveText("test_user_1@kasm.core");
  const sameUser = (await database.users()).filter(
    (user) => user.source === "ldap" && user.username.toLowerCase() === "test_user_1@kasm.core",
  );
  expect(sameUser).toHaveLength(1);
});

test("a wrong password gives the safe message and changes no membership", async ({ page, loginPage, database }) => {
  const before = await database.ldapGroupsOf("test_user_1@kasm.core");
  await loginPage.signIn("test_user_1@kasm.core", "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();
  expect(await database.ldapGroupsOf("test_user_1@kasm.core")).toEqual(before);
  const logins = await database.auditEvents("login");
  const event = logins.find((login) => login.action === "login" && login.outcome === "failure");
  expect(JSON.parse(event!.details)).toMatchObject({ reason: "invalid_credentials", configuration: CONFIG });
});

test("with the directory stopped the login fails with the unavailable message and memberships stay", async ({
  page,
  loginPage,
  database,
}) => {
  const before = await database.ldapGroupsOf("test_user_1@kasm.core");
  expect(before).toEqual(["LDAP Group 1"]);
  execSync("bash e2e/directories/openldap/stop.sh", { stdio: "ignore" });
  try {
    const started = Date.now();
    await loginPage.signIn("test_user_1@kasm.core", user1.password);
    await expect(
      page.getByRole("alert").filter({ hasText: "The directory is unavailable, please try again later" }),
    ).toBeVisible();
    // Bounded by the configuration's timeouts (connect 5 s + operation 10 s), not by the browser.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await database.ldapGroupsOf("test_user_1@kasm.core")).toEqual(before);
  } finally {
    execSync("bash e2e/directories/openldap/start.sh", { stdio: "ignore" });
  }
});

test("a user mapped to Administrators through LDAP reaches the admin area", async ({ page, loginPage, database }) => {
  await database.clearLoginThrottle();
  await database.mapGroup("Administrators", group1, CONFIG);
  await loginPage.signIn("test_user_1@kasm.core", user1.password);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  const response = await page.goto("/admin/authentication/ldap");
  expect(response?.status()).toBe(200);
});

test("a disabled configuration cannot sign anyone in", async ({ page, loginPage, database }) => {
  await database.setLdapConfigEnabledByName(CONFIG, false);
  try {
    await loginPage.signIn("test_user_2@kasm.core", user1.password);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();
  } finally {
    await database.setLdapConfigEnabledByName(CONFIG, true);
  }
});

test("a disabled app user cannot sign in even with the right directory password", async ({
  page,
  loginPage,
  database,
}) => {
  await database.setDisabledByUsername("test_user_1@kasm.core", true);
  try {
    await loginPage.signIn("test_user_1@kasm.core", user1.password);
    await expect(page.getByRole("alert").filter({ hasText: "This account is disabled" })).toBeVisible();
  } finally {
    await database.setDisabledByUsername("test_user_1@kasm.core", false);
  }
});

test("with Auto Create App User off a new directory user is refused with a clear message", async ({
  page,
  loginPage,
  database,
}) => {
  await database.setAutoCreateAppUser(CONFIG, false);
  try {
    await loginPage.signIn("comma_user@kasm.core", setup.env.users.comma_user!.password);
    await expect(page.getByRole("alert").filter({ hasText: "automatic creation is off" })).toBeVisible();
    expect(await database.findUser("comma_user@kasm.core")).toBeNull();
  } finally {
    await database.setAutoCreateAppUser(CONFIG, true);
  }
});

test("repeated wrong passwords are throttled, even the right password then waits, and the wait survives", async ({
  page,
  loginPage,
  httpLogin,
  database,
}) => {
  await database.clearLoginThrottle();
  // The limit's worth of wrong passwords over HTTP (as a script would guess), all refused normally…
  for (let attempt = 0; attempt < USER_THROTTLE_LIMIT; attempt++) {
    const result = await httpLogin("test_user_2@kasm.core", `wrong-${attempt}`);
    expect(result.error).toBe("Invalid username or password");
  }
  // …then the next attempt waits, in the browser too, even with the right password.
  await loginPage.signIn("test_user_2@kasm.core", user1.password);
  await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts" })).toBeVisible();
  // Kept in the database per directory entry (not per typed login), so it holds across restarts and instances.
  expect(await database.lockedDirectoryAccounts()).toHaveLength(1);
  await loginPage.signIn("TEST_USER_2@KASM.CORE", "wrong-again");
  await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts" })).toBeVisible();
  await database.clearLoginThrottle();
});
