import { directorySetup, expect, test } from "./fixtures";

/**
 * Consistency under load: 50 concurrent first logins, of one user and of different users,
 * through the portal's HTTP sign-in, leave exactly one app user per directory account and
 * one membership per mapped group. (Correctness only; speed is measured by bench:login.)
 */
const setup = directorySetup("openldap");
const USERS = ["test_user_1", "test_user_2", "comma_user", "plus_user", "quote_user", "many_groups_user"];

test.beforeAll(async ({ database, asAdministrator }) => {
  await database.deleteLdapUsers();
  await database.deleteLdapConfigs();
  await database.clearLoginThrottle();
  await database.deleteGroupNamed("Concurrency Group");
  await asAdministrator(({ ldapConfigsPage }) => ldapConfigsPage.create("Concurrency", setup));
  await database.createMappedGroup("Concurrency Group", 20, [setup.env.groups.kasm_group_1!], "Concurrency");
});

test.afterAll(async ({ database }) => {
  await database.deleteLdapUsers();
  await database.deleteLdapConfigs();
  await database.deleteGroupNamed("Concurrency Group");
});

test("50 concurrent logins leave no duplicate users or memberships", async ({ httpLogin, database }) => {
  test.setTimeout(120_000);
  // 25 logins of one user, 25 spread over the others: all of them first logins, racing to create.
  const logins = Array.from({ length: 50 }, (_, index) =>
    index % 2 === 0 ? "test_user_1" : USERS[(index % (USERS.length - 1)) + 1]!,
  );
  const results = await Promise.all(
    logins.map((user) => httpLogin(`${user}@kasm.core`, setup.env.users[user]!.password)),
  );
  expect(results.filter((result) => !result.ok)).toEqual([]);

  // One app user per directory account: count the users of each (configuration, directory id).
  const accounts = await database.ldapAccounts();
  const perAccount = new Map<string, number>();
  for (const account of accounts) {
    const key = `${account.ldapConfigId}\n${account.directoryId}`;
    perAccount.set(key, (perAccount.get(key) ?? 0) + 1);
  }
  expect(accounts.map((account) => account.username).sort()).toEqual(USERS.map((user) => `${user}@kasm.core`).sort());
  expect([...perAccount.values()].every((n) => n === 1)).toBe(true);

  // One membership of the mapped group per user (any origin), by username.
  const memberships = (await database.users())
    .map((user) => ({
      username: user.username,
      n: user.memberships.filter((membership) => membership.group.name === "Concurrency Group").length,
    }))
    .filter((user) => user.n > 0);
  // kasm_group_1 holds test_user_1 and the three users with special characters in their DN.
  expect(memberships).toEqual(
    ["comma_user", "plus_user", "quote_user", "test_user_1"].map((user) => ({ username: `${user}@kasm.core`, n: 1 })),
  );
});
