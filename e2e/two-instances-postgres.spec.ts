import fs from "node:fs";
import { ADMIN, directorySetup, expect, GroupsPage, LdapConfigurationsPage, LoginPage, test } from "./fixtures";
import {
  createPostgresDatabase,
  sharedSecrets,
  signIn,
  startPortal,
  type PortalInstance,
  type TestPostgresDatabase,
} from "./support/portal-instances";

/**
 * Scale-out: two instances of the production build (`npm start`) on one fresh PostgreSQL
 * database, as README's "Running several instances" describes them (same AUTH_SECRET,
 * ENCRYPTION_KEY and LOGIN_THROTTLE_* limits, their own data directories and ports), started
 * together. Everything an administrator or a user does goes through one instance or the other;
 * the database is only read, for the assertions.
 */
const setup = directorySetup("openldap");
const CONFIG = "Scale-out OpenLDAP";
const GROUP = {
  name: "Scale-out App Users",
  description: "Everyone allowed in, from either instance",
  priority: 40,
  dn: setup.env.groups.all_kasm_app_users!,
};
/**
 * LOGIN_THROTTLE_USER_LIMIT of both instances. Attempts in flight count against it (one at a
 * time per failure left), so the 100 simultaneous first sign-ins of one account need 100.
 */
const USER_LIMIT = 100;
const SIMULTANEOUS_SIGN_INS = 100;
const password = (user: string) => setup.env.users[user]!.password;
const login = (user: string) => `${user}@kasm.core`;

test.describe.configure({ mode: "serial" });

let database: TestPostgresDatabase;
let a: PortalInstance;
let b: PortalInstance;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  database = await createPostgresDatabase();
  const settings = {
    DATABASE_URL: database.url,
    ...sharedSecrets(),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOGIN_THROTTLE_USER_LIMIT: String(USER_LIMIT),
    // Every request of this test comes from 127.0.0.1: the per-address brake is not under test.
    LOGIN_THROTTLE_ADDRESS_LIMIT: "10000",
  };
  // Started together: both reach the migrations and the first-start bootstrap at the same time.
  a = await startPortal("a", settings);
  b = await startPortal("b", settings);
  await Promise.all([a.ready, b.ready]);
});

test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
});

test("instances started together migrate once and create one administrator", async () => {
  const committed = fs.readdirSync("prisma/postgresql/migrations", { withFileTypes: true });
  const migrations = committed.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const applied = await database.query<{ migration_name: string; finished: boolean; rolled_back: boolean }>(
    `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
     FROM _prisma_migrations ORDER BY migration_name`,
  );
  expect(applied).toEqual(
    migrations.sort().map((name) => ({ migration_name: name, finished: true, rolled_back: false })),
  );
  // One instance applied them; the other found nothing left to do.
  const outputs = [a.output(), b.output()];
  expect(outputs.filter((output) => /Applied \d+ migration\(s\)/.test(output))).toHaveLength(1);
  expect(outputs.filter((output) => output.includes("No pending migrations to apply"))).toHaveLength(1);

  const administrators = await database.query<{ username: string }>(
    `SELECT u.username FROM "User" u
     JOIN "GroupMembership" m ON m."userId" = u.id JOIN "Group" g ON g.id = m."groupId"
     WHERE g."systemKey" = 'administrators'`,
  );
  expect(administrators).toEqual([{ username: ADMIN.username }]);
  expect(await database.query(`SELECT username FROM "User"`)).toEqual([{ username: ADMIN.username }]);
  const systemGroups = await database.query<{ systemKey: string }>(
    `SELECT "systemKey" FROM "Group" WHERE "systemKey" IS NOT NULL ORDER BY "systemKey"`,
  );
  expect(systemGroups).toEqual([{ systemKey: "administrators" }, { systemKey: "all_users" }]);
  const created = await database.query(`SELECT target FROM "AuditEvent" WHERE action = 'user.create'`);
  expect(created).toEqual([{ target: ADMIN.username }]);
});

test("a session made on A is accepted on B", async () => {
  const onA = await signIn(a.baseURL, ADMIN.username, ADMIN.password);
  expect(onA.outcome).toBe("ok");
  const cookie = onA.sessionCookie!;

  const session = await fetch(`${b.baseURL}/api/auth/session`, { headers: { Cookie: cookie } });
  expect(((await session.json()) as { user?: { name?: string } }).user?.name).toBe(ADMIN.username);
  for (const path of ["/admin/users", "/profile"]) {
    const page = await fetch(`${b.baseURL}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect([path, page.status]).toEqual([path, 200]);
    expect(await page.text()).toContain(ADMIN.username);
  }
  // Without the cookie B sends the visitor to sign in: the 200 above was the session's doing.
  const anonymous = await fetch(`${b.baseURL}/admin/users`, { redirect: "manual" });
  expect(anonymous.status).toBeGreaterThanOrEqual(300);
  expect(anonymous.status).toBeLessThan(400);
  expect(anonymous.headers.get("location")).toContain("/login");
});

test("a configuration saved on A is in force at B's next sign-in", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: a.baseURL });
  try {
    const page = await context.newPage();
    await new LoginPage(page).signInAsAdmin();
    await new LdapConfigurationsPage(page).create(CONFIG, setup);
    await new GroupsPage(page).create(GROUP);

    expect((await signIn(b.baseURL, login("test_user_1"), password("test_user_1"))).outcome).toBe("ok");

    // The administrator narrows the Search Filter on A: test_user_1 no longer matches.
    await page.goto("/admin/authentication/ldap");
    await page.getByRole("link", { name: `Edit ${CONFIG}` }).click();
    await expect(page).toHaveURL(/\/edit$/);
    await page.getByLabel("Search Filter", { exact: true }).fill(`${setup.searchFilter}(!(uid=test_user_1))`);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/admin\/authentication\/ldap\?saved=/);
  } finally {
    await context.close();
  }

  expect((await signIn(b.baseURL, login("test_user_1"), password("test_user_1"))).outcome).toBe(
    "Invalid username or password",
  );
  // The configuration itself still works on B for everyone else.
  expect((await signIn(b.baseURL, login("comma_user"), password("comma_user"))).outcome).toBe("ok");
});

test("wrong guesses spread over A and B share one budget per account", async () => {
  test.setTimeout(240_000);
  const outcomes: string[] = [];
  for (let guess = 0; guess < USER_LIMIT; guess += 1) {
    const instance = guess % 2 === 0 ? a : b;
    outcomes.push((await signIn(instance.baseURL, login("comma_user"), "not-the-password")).outcome);
  }
  // As on one instance: the limit's worth of guesses reach the directory…
  expect(new Set(outcomes)).toEqual(new Set(["Invalid username or password"]));
  // …then the account waits, on either instance, even with the right password.
  for (const instance of [a, b]) {
    expect((await signIn(instance.baseURL, login("comma_user"), password("comma_user"))).outcome).toMatch(
      /^Too many failed sign-in attempts\. Try again in \d+ seconds\.$/,
    );
  }
});

test("100 simultaneous first sign-ins over A and B leave one user and one membership per mapped group", async () => {
  test.setTimeout(240_000);
  const user = "test_user_2";
  expect(await database.query(`SELECT id FROM "User" WHERE username = $1`, [login(user)])).toEqual([]);

  const results = await Promise.all(
    Array.from({ length: SIMULTANEOUS_SIGN_INS }, (_, index) =>
      signIn((index % 2 === 0 ? a : b).baseURL, login(user), password(user)),
    ),
  );
  const refused = results.filter((result) => result.outcome !== "ok");
  expect(refused, `A:\n${a.output()}\nB:\n${b.output()}`).toEqual([]);

  const accounts = await database.query<{ id: string; ldapConfigId: string; directoryId: string }>(
    `SELECT id, "ldapConfigId", "directoryId" FROM "User" WHERE username = $1`,
    [login(user)],
  );
  expect(accounts).toHaveLength(1);
  const sameEntry = await database.query(`SELECT id FROM "User" WHERE "ldapConfigId" = $1 AND "directoryId" = $2`, [
    accounts[0]!.ldapConfigId,
    accounts[0]!.directoryId,
  ]);
  expect(sameEntry).toHaveLength(1);
  const memberships = await database.query<{ name: string; origin: string }>(
    `SELECT g.name, m.origin FROM "GroupMembership" m JOIN "Group" g ON g.id = m."groupId" WHERE m."userId" = $1`,
    [accounts[0]!.id],
  );
  expect(memberships).toEqual([{ name: GROUP.name, origin: "ldap" }]);
});
