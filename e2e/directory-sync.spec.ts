import {
  ensureSyncFixtures,
  setAccountDisabled,
  setGroupMember,
  type SyncFixtures,
} from "./directories/directory-admin";
import { directorySetup, expect, test } from "./fixtures";

/**
 * The directory sync through the admin pages, on Samba AD, OpenLDAP and 389 DS: what the
 * directory's administrator changes reaches the portal at Sync Now without anyone signing in, an open session of a user
 * the directory disabled ends at its next page, and a Search Filter change that would disable
 * most users is held, listed, and applied only when the administrator says so.
 */
test.describe.configure({ mode: "serial" });

const PREFIX = "synce2e";
const login = (uid: string) => `${uid}@kasm.core`;

for (const name of ["samba", "openldap", "dirsrv"] as const)
  test.describe(`directory sync on ${name}`, () => {
    const directory = directorySetup(name);
    // Every user of the directory may sign in: the fixtures are in no allowed group.
    const setup = {
      ...directory,
      searchFilter:
        name === "samba" ? "&(objectClass=user)(sAMAccountName={0})" : "&(objectClass=inetOrgPerson)(uid={0})",
      groupMembershipFilter: name === "samba" ? "" : directory.groupMembershipFilter,
      requiredGroupDn: "",
    };
    const CONFIG = `${name} sync`;
    const GROUP_1 = setup.env.groups.kasm_group_1!;
    const testUser1 = setup.env.users.test_user_1!;
    let fixtures: SyncFixtures;

    test.beforeAll(async ({ database, asAdministrator, httpLogin }) => {
      fixtures = await ensureSyncFixtures(name, PREFIX);
      await database.deleteLdapUsers();
      await database.deleteGroupNamed("LDAP Group 1");
      await database.deleteLdapConfigs();
      await database.clearLoginThrottle();
      // Four users: one disabled in the directory is 25 %, within a Max Disable Share of 30.
      await asAdministrator(({ ldapConfigsPage }) =>
        ldapConfigsPage.create(CONFIG, setup, { maxDisableSharePercent: 30 }),
      );
      await database.createMappedGroup("LDAP Group 1", 10, [GROUP_1], CONFIG, "Group mapped to kasm_group_1");
      for (const [uid, password] of [
        ["test_user_1", testUser1.password],
        ...[1, 2, 3].map((n) => [`${PREFIX}_user_${n}`, fixtures.users[`${PREFIX}_user_${n}`]!.password]),
      ])
        expect((await httpLogin(login(uid!), password!)).ok, uid).toBe(true);
    });

    test.afterAll(async ({ database }) => {
      await setGroupMember(name, GROUP_1, testUser1.dn, true);
      await ensureSyncFixtures(name, PREFIX);
      await database.deleteLdapConfigs();
      await database.deleteLdapUsers();
      await database.deleteGroupNamed("LDAP Group 1");
    });

    test("Preview lists, and Sync Now applies, what the directory changed; the disabled user's open session ends", async ({
      adminPage: page,
      usersPage,
      signInElsewhere,
      database,
    }) => {
      const disabled = `${PREFIX}_user_1`;
      const session = await signInElsewhere(login(disabled), fixtures.users[disabled]!.password);
      await session.waitForURL((url) => !url.pathname.startsWith("/login"));
      await session.goto("/profile");
      await expect(session.getByRole("heading", { name: "Profile" })).toBeVisible();

      await setAccountDisabled(name, fixtures.users[disabled]!.dn, true);
      await setGroupMember(name, GROUP_1, testUser1.dn, false);

      await page.goto("/admin/authentication/ldap");
      await page.getByRole("button", { name: `Preview sync: ${CONFIG}` }).click();
      await expect(page).toHaveURL(/\/sync\?run=/);
      const changes = page.getByRole("list", { name: "Changes" });
      await expect(changes.getByRole("listitem")).toHaveText([
        `${login(disabled)}: disable: Disabled in the directory`,
        `${login("test_user_1")}: groups removed: LDAP Group 1`,
      ]);
      await expect(
        page.getByText("4 users checked: 1 disabled, 0 re-enabled, 1 membership changes (not applied)."),
      ).toBeVisible();
      // A preview changes nothing.
      expect(await database.ldapGroupsOf(login("test_user_1"))).toEqual(["LDAP Group 1"]);
      await session.reload();
      await expect(session.getByRole("heading", { name: "Profile" })).toBeVisible();

      await page.getByRole("button", { name: `Sync Now: ${CONFIG}` }).click();
      await expect(page.getByText("4 users checked: 1 disabled, 0 re-enabled, 1 membership changes.")).toBeVisible();
      await expect(page.getByTestId("sync-run-row").first()).toContainText("applied");
      expect(await database.ldapGroupsOf(login("test_user_1"))).toEqual([]);

      await session.reload();
      await expect(session).toHaveURL(/\/login/);
      await usersPage.open(login(disabled));
      await expect(page.getByTestId("user-status")).toContainText("Disabled by directory sync");
      await expect(page.getByTestId("user-status")).toContainText("Disabled in the directory");

      // Back in the directory: re-enabled and back in the group at the next Sync Now.
      await setAccountDisabled(name, fixtures.users[disabled]!.dn, false);
      await setGroupMember(name, GROUP_1, testUser1.dn, true);
      await page.goto("/admin/authentication/ldap");
      await page.getByRole("button", { name: `Sync Now: ${CONFIG}` }).click();
      await expect(page.getByText("4 users checked: 0 disabled, 1 re-enabled, 1 membership changes.")).toBeVisible();
      await usersPage.open(login(disabled));
      await expect(page.getByTestId("user-status")).toHaveText("Active");
      expect(await database.ldapGroupsOf(login("test_user_1"))).toEqual(["LDAP Group 1"]);
    });

    test("a Search Filter change that would disable most users is held and listed until the administrator applies it", async ({
      adminPage: page,
      database,
    }) => {
      await page.goto("/admin/authentication/ldap");
      await page.getByRole("link", { name: `Edit ${CONFIG}` }).click();
      const filter = page.getByLabel("Search Filter", { exact: true });
      await filter.fill(`${setup.searchFilter}(description=nobody-has-this)`);
      await page.getByRole("button", { name: "Save" }).click();
      await expect(page).toHaveURL(/\/admin\/authentication\/ldap\?saved=/);
      try {
        await page.getByRole("button", { name: `Sync Now: ${CONFIG}` }).click();
        await expect(page.getByTestId("sync-run-row").first()).toContainText("held");
        await expect(
          page.getByText("would disable 4 of 4 users (100 %), more than the Max Disable Share of 30 %").first(),
        ).toBeVisible();
        await expect(page.getByRole("list", { name: "Changes" }).getByRole("listitem")).toHaveCount(4);
        expect((await database.findUser(login("test_user_1")))?.directoryRefusal).toBeNull();

        await page.getByRole("button", { name: "Apply anyway" }).click();
        await expect(page.getByTestId("sync-run-row").first()).toContainText("applied");
        expect((await database.findUser(login("test_user_1")))?.directoryRefusal).toBe("not_matching");
      } finally {
        await page.goto("/admin/authentication/ldap");
        await page.getByRole("link", { name: `Edit ${CONFIG}` }).click();
        await page.getByLabel("Search Filter", { exact: true }).fill(setup.searchFilter);
        await page.getByRole("button", { name: "Save" }).click();
        await expect(page).toHaveURL(/\/admin\/authentication\/ldap\?saved=/);
      }
      await page.getByRole("button", { name: `Sync Now: ${CONFIG}` }).click();
      await expect(page.getByText("4 users checked: 0 disabled, 4 re-enabled, 0 membership changes.")).toBeVisible();
    });

    test("Session Revalidation: an open session follows the directory without a sign-in or a sync", async ({
      signInElsewhere,
      database,
    }) => {
      const member = await signInElsewhere(login("test_user_1"), testUser1.password);
      const leaver = `${PREFIX}_user_3`;
      const leaving = await signInElsewhere(login(leaver), fixtures.users[leaver]!.password);
      const groups = member.getByTestId("profile-group");
      await member.goto("/profile");
      await expect(groups.filter({ hasText: "LDAP Group 1" })).toHaveCount(1);

      await setGroupMember(name, GROUP_1, testUser1.dn, false);
      await setAccountDisabled(name, fixtures.users[leaver]!.dn, true);
      try {
        // Within the interval (5 minutes by default) the session goes on as it was.
        await member.reload();
        await expect(groups.filter({ hasText: "LDAP Group 1" })).toHaveCount(1);
        await leaving.goto("/profile");
        await expect(leaving.getByRole("heading", { name: "Profile" })).toBeVisible();

        // Past it, the next page looks the user up again as the service account.
        await database.ageSessionChecks(login("test_user_1"), 6);
        await database.ageSessionChecks(login(leaver), 6);
        await member.reload();
        await expect(groups.filter({ hasText: "LDAP Group 1" })).toHaveCount(0);
        expect(await database.ldapGroupsOf(login("test_user_1"))).toEqual([]);
        await leaving.goto("/profile");
        await expect(leaving).toHaveURL(/\/login/);
        expect((await database.findUser(login(leaver)))?.directoryRefusal).toBe("disabled");
        expect(await database.sessionsOfUser(login(leaver))).toEqual([]);
      } finally {
        await setGroupMember(name, GROUP_1, testUser1.dn, true);
        await setAccountDisabled(name, fixtures.users[leaver]!.dn, false);
      }
      // Back in the group: the next revalidation gives it back, still without a sign-in.
      await database.ageSessionChecks(login("test_user_1"), 6);
      await member.reload();
      await expect(groups.filter({ hasText: "LDAP Group 1" })).toHaveCount(1);
    });
  });
