import { expect, test } from "@playwright/test";
import { createMappedGroup, execute, queryAll } from "./support/db";
import { directorySetup } from "./support/directories";
import { httpLogin } from "./support/http-login";
import { createLdapConfiguration } from "./support/ldap-pages";
import { signInAsAdmin } from "./support/pages";

/**
 * Consistency under load: 50 concurrent first logins, of one user and of different users,
 * through the portal's HTTP sign-in, leave exactly one app user per directory account and
 * one membership per mapped group. (Correctness only; speed is measured by bench:login.)
 */
const setup = directorySetup("openldap");
const USERS = ["test_user_1", "test_user_2", "comma_user", "plus_user", "quote_user", "many_groups_user"];

test.beforeAll(async ({ browser }) => {
  execute("DELETE FROM User WHERE source = 'ldap'");
  execute("DELETE FROM LdapConfig");
  execute("DELETE FROM LoginThrottle");
  execute('DELETE FROM "Group" WHERE name = ?', "Concurrency Group");
  const page = await browser.newPage();
  await signInAsAdmin(page);
  await createLdapConfiguration(page, "Concurrency", setup);
  await page.close();
  createMappedGroup("Concurrency Group", 20, [setup.env.groups.kasm_group_1!], "Concurrency");
});

test.afterAll(() => {
  execute("DELETE FROM User WHERE source = 'ldap'");
  execute("DELETE FROM LdapConfig");
  execute('DELETE FROM "Group" WHERE name = ?', "Concurrency Group");
});

test("50 concurrent logins leave no duplicate users or memberships", async ({ baseURL }) => {
  test.setTimeout(120_000);
  // 25 logins of one user, 25 spread over the others: all of them first logins, racing to create.
  const logins = Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? "test_user_1" : USERS[(index % (USERS.length - 1)) + 1]!));
  const results = await Promise.all(logins.map((user) => httpLogin(baseURL!, `${user}@kasm.core`, setup.env.users[user]!.password)));
  expect(results.filter((result) => !result.ok)).toEqual([]);

  const users = queryAll<{ username: string; directoryId: string; n: number }>(
    "SELECT username, directoryId, COUNT(*) AS n FROM User WHERE source = 'ldap' GROUP BY ldapConfigId, directoryId ORDER BY username",
  );
  expect(users.map((user) => user.username).sort()).toEqual(USERS.map((user) => `${user}@kasm.core`).sort());
  expect(users.every((user) => user.n === 1)).toBe(true);

  const memberships = queryAll<{ username: string; n: number }>(
    "SELECT u.username, COUNT(*) AS n FROM GroupMembership m JOIN User u ON u.id = m.userId JOIN \"Group\" g ON g.id = m.groupId WHERE g.name = 'Concurrency Group' GROUP BY u.username ORDER BY u.username",
  );
  // kasm_group_1 holds test_user_1 and the three users with special characters in their DN.
  expect(memberships).toEqual(
    ["comma_user", "plus_user", "quote_user", "test_user_1"].map((user) => ({ username: `${user}@kasm.core`, n: 1 })),
  );
});
