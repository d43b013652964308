import { execSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { Attribute, Change } from "ldapts";
import { createMappedGroup, execute, mapGroupByName, queryAll } from "./support/db";
import { directorySetup, withDirectoryAdmin } from "./support/directories";
import { createLdapConfiguration } from "./support/ldap-pages";
import { httpLogin } from "./support/http-login";
import { signIn, signInAsAdmin, USER_THROTTLE_LIMIT } from "./support/pages";

/** Beyond the documentation, on OpenLDAP: re-sync at every login, identity, failures, admin mapping. */
test.describe.configure({ mode: "serial" });

const setup = directorySetup("openldap");
const CONFIG = "OpenLDAP sign-in";
const user1 = setup.env.users.test_user_1!;
const group1 = setup.env.groups.kasm_group_1!;

async function profileGroups(page: Page) {
  await page.goto("/profile");
  return (await page.getByTestId("profile-group").locator("td:first-child").allTextContents()).sort();
}

function ldapMembershipsOf(username: string) {
  return queryAll<{ name: string }>(
    "SELECT g.name FROM GroupMembership m JOIN \"Group\" g ON g.id = m.groupId JOIN User u ON u.id = m.userId WHERE u.username = ? AND m.origin = 'ldap' ORDER BY g.name",
    username,
  ).map((row) => row.name);
}

test.beforeAll(async ({ browser }) => {
  execute("DELETE FROM User WHERE source = 'ldap'");
  execute('DELETE FROM "Group" WHERE name = ?', "LDAP Group 1");
  execute("DELETE FROM LdapConfig");
  execute("DELETE FROM LoginThrottle");
  const page = await browser.newPage();
  await signInAsAdmin(page);
  await createLdapConfiguration(page, CONFIG, setup);
  await page.close();
  createMappedGroup("LDAP Group 1", 10, [group1], CONFIG, "Group mapped to kasm_group_1");
});

test.afterAll(() => {
  execute("DELETE FROM GroupLdapMapping WHERE groupId IN (SELECT id FROM \"Group\" WHERE systemKey = 'administrators')");
  execute("DELETE FROM LdapConfig");
  execute("DELETE FROM User WHERE source = 'ldap'");
  execute('DELETE FROM "Group" WHERE name = ?', "LDAP Group 1");
});

test("removing test_user_1 from kasm_group_1 in the directory drops LDAP Group 1 at the next login", async ({ page }) => {
  await signIn(page, "test_user_1@kasm.core", user1.password);
  await expect(page).toHaveURL(/\/profile$/);
  expect(await profileGroups(page)).toEqual(["All Users", "LDAP Group 1"]);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  // test_user_1 stays allowed (now directly in all_kasm_app_users) but leaves kasm_group_1.
  const allowed = setup.env.groups.all_kasm_app_users!;
  const member = (operation: "add" | "delete", group: string) =>
    withDirectoryAdmin(setup, (client) => client.modify(group, new Change({ operation, modification: new Attribute({ type: "member", values: [user1.dn] }) })));
  await member("add", allowed);
  await member("delete", group1);
  try {
    await signIn(page, "test_user_1@kasm.core", user1.password);
    await expect(page).toHaveURL(/\/profile$/);
    expect(await profileGroups(page)).toEqual(["All Users"]);
    expect(ldapMembershipsOf("test_user_1@kasm.core")).toEqual([]);
  } finally {
    await member("add", group1);
    await member("delete", allowed);
  }
});

test("a changed mail in the directory shows on the profile after the next login", async ({ page }) => {
  const changed = "first.user@kasm.core";
  await withDirectoryAdmin(setup, (client) => client.modify(user1.dn, new Change({ operation: "replace", modification: new Attribute({ type: "mail", values: [changed] }) })));
  try {
    await signIn(page, "test_user_1@kasm.core", user1.password);
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByTestId("profile-email")).toHaveText(changed);
  } finally {
    await withDirectoryAdmin(setup, (client) => client.modify(user1.dn, new Change({ operation: "replace", modification: new Attribute({ type: "mail", values: [user1.mail] }) })));
  }
});

test("TEST_USER_1@KASM.CORE signs in as the same app user", async ({ page }) => {
  await signIn(page, "TEST_USER_1@KASM.CORE", user1.password);
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId("profile-username")).toHaveText("test_user_1@kasm.core");
  expect(queryAll("SELECT username FROM User WHERE source = 'ldap' AND lower(username) = 'test_user_1@kasm.core'")).toHaveLength(1);
});

test("a wrong password gives the safe message and changes no membership", async ({ page }) => {
  const before = ldapMembershipsOf("test_user_1@kasm.core");
  await signIn(page, "test_user_1@kasm.core", "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();
  expect(ldapMembershipsOf("test_user_1@kasm.core")).toEqual(before);
  const [event] = queryAll<{ details: string }>("SELECT details FROM AuditEvent WHERE action = 'login' AND outcome = 'failure' ORDER BY at DESC LIMIT 1");
  expect(JSON.parse(event!.details)).toMatchObject({ reason: "invalid_credentials", configuration: CONFIG });
});

test("with the directory stopped the login fails with the unavailable message and memberships stay", async ({ page }) => {
  const before = ldapMembershipsOf("test_user_1@kasm.core");
  expect(before).toEqual(["LDAP Group 1"]);
  execSync("bash e2e/directories/openldap/stop.sh", { stdio: "ignore" });
  try {
    const started = Date.now();
    await signIn(page, "test_user_1@kasm.core", user1.password);
    await expect(page.getByRole("alert").filter({ hasText: "The directory is unavailable, please try again later" })).toBeVisible();
    // Bounded by the configuration's timeouts (connect 5 s + operation 10 s), not by the browser.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(ldapMembershipsOf("test_user_1@kasm.core")).toEqual(before);
  } finally {
    execSync("bash e2e/directories/openldap/start.sh", { stdio: "ignore" });
  }
});

test("a user mapped to Administrators through LDAP reaches the admin area", async ({ page }) => {
  execute("DELETE FROM LoginThrottle");
  mapGroupByName("Administrators", group1, CONFIG);
  await signIn(page, "test_user_1@kasm.core", user1.password);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  const response = await page.goto("/admin/authentication/ldap");
  expect(response?.status()).toBe(200);
});

test("a disabled configuration cannot sign anyone in", async ({ page }) => {
  execute("UPDATE LdapConfig SET enabled = 0 WHERE name = ?", CONFIG);
  try {
    await signIn(page, "test_user_2@kasm.core", user1.password);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();
  } finally {
    execute("UPDATE LdapConfig SET enabled = 1 WHERE name = ?", CONFIG);
  }
});

test("a disabled app user cannot sign in even with the right directory password", async ({ page }) => {
  execute("UPDATE User SET disabled = 1 WHERE username = 'test_user_1@kasm.core'");
  try {
    await signIn(page, "test_user_1@kasm.core", user1.password);
    await expect(page.getByRole("alert").filter({ hasText: "This account is disabled" })).toBeVisible();
  } finally {
    execute("UPDATE User SET disabled = 0 WHERE username = 'test_user_1@kasm.core'");
  }
});

test("with Auto Create App User off a new directory user is refused with a clear message", async ({ page }) => {
  execute("UPDATE LdapConfig SET autoCreateAppUser = 0 WHERE name = ?", CONFIG);
  try {
    await signIn(page, "comma_user@kasm.core", setup.env.users.comma_user!.password);
    await expect(page.getByRole("alert").filter({ hasText: "automatic creation is off" })).toBeVisible();
    expect(queryAll("SELECT id FROM User WHERE username = 'comma_user@kasm.core'")).toHaveLength(0);
  } finally {
    execute("UPDATE LdapConfig SET autoCreateAppUser = 1 WHERE name = ?", CONFIG);
  }
});

test("repeated wrong passwords are throttled, even the right password then waits, and the wait survives", async ({ page, baseURL }) => {
  execute("DELETE FROM LoginThrottle");
  // The limit's worth of wrong passwords over HTTP (as a script would guess), all refused normally…
  for (let attempt = 0; attempt < USER_THROTTLE_LIMIT; attempt++) {
    const result = await httpLogin(baseURL!, "test_user_2@kasm.core", `wrong-${attempt}`);
    expect(result.error).toBe("Invalid username or password");
  }
  // …then the next attempt waits, in the browser too, even with the right password.
  await signIn(page, "test_user_2@kasm.core", user1.password);
  await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts" })).toBeVisible();
  // Kept in the database per directory entry (not per typed login), so it holds across restarts and instances.
  expect(queryAll("SELECT key FROM LoginThrottle WHERE key LIKE 'account:ldap:%' AND lockedUntil IS NOT NULL")).toHaveLength(1);
  await signIn(page, "TEST_USER_2@KASM.CORE", "wrong-again");
  await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts" })).toBeVisible();
  execute("DELETE FROM LoginThrottle");
});
