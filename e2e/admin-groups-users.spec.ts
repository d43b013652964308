import { ADMIN, expect, type Page, test } from "./fixtures";

/**
 * Groups, users and the audit trail, as an administrator uses them. The tests run in order and
 * share the group and the user they create; the group is deleted again at the end.
 */
test.describe.configure({ mode: "serial" });

const GROUP = {
  name: "LDAP Group 1",
  description: "Group mapped to kasm_group_1 in Active Directory",
  priority: 10,
  dn: "CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core",
};
const USERNAME = `e2e-member-${Date.now()}@portal.local`;
/** Mappings name a configuration: the only one there is, so the form preselects it. */
const CONFIG = "Groups spec directory";
let userPassword = "";

async function fillGroupForm(
  page: Page,
  values: { name: string; description?: string; priority: string; dn?: string },
) {
  await page.getByLabel("Name", { exact: true }).fill(values.name);
  await page.getByLabel("Description", { exact: true }).fill(values.description ?? "");
  await page.getByLabel("Priority", { exact: true }).fill(values.priority);
  await page.getByLabel("LDAP Group", { exact: true }).fill(values.dn ?? "");
}

test.beforeAll(async ({ database }) => {
  // A re-run against the same database (without scripts/test.sh wiping it) starts clean too.
  const names = [GROUP.name, "Duplicate Priority", "Bad DN", "Duplicate DNs"];
  await database.deleteGroups((group) => names.includes(group.name) || [10, 11].includes(group.priority));
  await database.deleteLdapConfigs();
  await database.createIdleLdapConfig(CONFIG);
});

test.afterAll(async ({ database }) => {
  await database.deleteLdapConfigNamed(CONFIG);
});

test("groups: create a mapped group; duplicates and malformed DNs are refused at the field", async ({
  adminPage: page,
  database,
}) => {
  await page.goto("/admin/groups");

  // The built-in groups can be edited but never deleted.
  for (const name of ["All Users", "Administrators"]) {
    const row = page.getByTestId("group-row").filter({ hasText: name });
    await expect(row.getByText("System")).toBeVisible();
    await expect(row.getByRole("link", { name: `Edit ${name}` })).toBeVisible();
    await expect(row.getByRole("button", { name: /Delete/ })).toHaveCount(0);
  }

  await page.getByRole("link", { name: "Create Group" }).click();
  await expect(page).toHaveURL(/\/admin\/groups\/new$/);
  // The only configuration is chosen for the LDAP Group already.
  await expect(page.getByLabel("Configuration", { exact: true })).toHaveValue(/.+/);
  await expect(page.getByLabel("Configuration", { exact: true }).locator("option:checked")).toHaveText(
    `${CONFIG} (disabled)`,
  );
  await fillGroupForm(page, { ...GROUP, priority: String(GROUP.priority) });
  await page.getByRole("button", { name: "Create group" }).click();

  await expect(page).toHaveURL(/\/admin\/groups\?notice=created/);
  await expect(page.getByRole("status").filter({ hasText: `Group ${GROUP.name} created.` })).toBeVisible();
  const row = page.getByTestId("group-row").filter({ hasText: GROUP.name });
  await expect(row).toContainText(GROUP.description);
  await expect(row.getByRole("cell", { name: String(GROUP.priority), exact: true })).toBeVisible();
  await expect(row).toContainText(GROUP.dn);
  await expect(row).toContainText(`via ${CONFIG}`);
  expect(await database.groupMappings(GROUP.name)).toEqual([
    { dn: GROUP.dn, dnNormalized: "cn=kasm_group_1,ou=myorg,dc=kasm,dc=core", config: CONFIG },
  ]);

  // A priority another group holds: refused by the server, at the Priority field.
  await page.goto("/admin/groups/new");
  await fillGroupForm(page, { name: "Duplicate Priority", priority: "10" });
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByText(`Priority 10 is already used by group ${GROUP.name}`)).toBeVisible();
  await expect(page.getByLabel("Priority", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/admin\/groups\/new$/);

  // The same name (in any case) is refused at the Name field.
  await fillGroupForm(page, { name: "ldap group 1", priority: "11" });
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByText(`A group named ${GROUP.name} already exists`)).toBeVisible();

  // A malformed DN is refused at the LDAP Group field before anything is sent.
  await fillGroupForm(page, { name: "Bad DN", priority: "11", dn: "CN=kasm_group_1,OU=MyOrg,DC" });
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByText(/Malformed DN: expected '=' after 'DC'/)).toBeVisible();
  await expect(page.getByLabel("LDAP Group", { exact: true })).toHaveAttribute("aria-invalid", "true");

  // The same directory group twice (spelled differently) is refused on the second row.
  await fillGroupForm(page, { name: "Duplicate DNs", priority: "11", dn: GROUP.dn });
  await page.getByRole("button", { name: "Add another DN" }).click();
  await page.getByLabel("LDAP Group 2", { exact: true }).fill("cn=KASM_group_1, ou=myorg, dc=kasm, dc=core");
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByText("The same LDAP group is already listed in row 1")).toBeVisible();

  const refused = ["Duplicate Priority", "Bad DN", "Duplicate DNs", "ldap group 1"];
  expect((await database.groupNames()).filter((name) => refused.includes(name))).toEqual([]);

  // Editing keeps the mapping and stores settings.
  await page.goto("/admin/groups");
  await page.getByRole("link", { name: `Edit ${GROUP.name}` }).click();
  await expect(page.getByLabel("LDAP Group", { exact: true })).toHaveValue(GROUP.dn);
  await page.getByRole("button", { name: "Add setting" }).click();
  await page.getByLabel("Setting key 1", { exact: true }).fill("theme");
  await page.getByLabel("Setting value 1", { exact: true }).fill("dark");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Group ${GROUP.name} saved.` })).toBeVisible();
  expect(await database.groupSettings(GROUP.name)).toEqual([{ key: "theme", value: "dark" }]);
});

test("users: create a local user with a generated password, who then signs in", async ({
  adminPage: page,
  signInElsewhere,
}) => {
  await page.goto("/admin/users");
  await page.getByRole("link", { name: "Create User" }).click();

  await page.getByLabel("Username", { exact: true }).fill(USERNAME);
  await page.getByLabel("Email", { exact: true }).fill("member@portal.local");
  await page.getByLabel("Password", { exact: true }).fill("too-short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();

  await page.getByLabel("Generate", { exact: true }).check();
  await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status").filter({ hasText: `User ${USERNAME} created.` })).toBeVisible();
  userPassword = (await page.getByTestId("generated-password").textContent()) ?? "";
  expect(userPassword.length).toBeGreaterThanOrEqual(12);

  // The same username again is refused at the field.
  await page.getByRole("button", { name: "Create another" }).click();
  await page.getByLabel("Username", { exact: true }).fill(USERNAME.toUpperCase());
  await page.getByLabel("Generate", { exact: true }).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`A user named ${USERNAME} already exists`)).toBeVisible();

  await page.goto("/admin/users");
  const row = page.getByTestId("user-row").filter({ hasText: USERNAME });
  await expect(row).toContainText("Local");
  await expect(row).toContainText("never");
  await expect(row.getByText("Active")).toBeVisible();

  const member = await signInElsewhere(USERNAME, userPassword);
  await expect(member).toHaveURL(/\/profile$/);
  await expect(member.getByTestId("profile-username")).toHaveText(USERNAME);
});

test("users: manual memberships are added and removed; LDAP ones are marked and not removable", async ({
  adminPage: page,
  usersPage,
  signInElsewhere,
  database,
}) => {
  await usersPage.open(USERNAME);
  await page.getByLabel("Group", { exact: true }).selectOption({ label: GROUP.name });
  await page.getByRole("button", { name: "Add to group" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Added to ${GROUP.name}.` })).toBeVisible();
  await expect(page.getByTestId("user-group").filter({ hasText: GROUP.name })).toContainText("Manual");

  // The membership counts at the user's next sign-in.
  const member = await signInElsewhere(USERNAME, userPassword);
  await expect(member.getByTestId("profile-group").filter({ hasText: GROUP.name })).toHaveCount(1);

  await page.goto("/admin/groups");
  await expect(
    page.getByTestId("group-row").filter({ hasText: GROUP.name }).getByRole("cell", { name: "1", exact: true }),
  ).toBeVisible();

  // An LDAP-synced membership (as a sign-in through the directory would write it).
  await database.addLdapMembership(USERNAME, "Administrators");

  await page.goto("/admin/users");
  const row = page.getByTestId("user-row").filter({ hasText: USERNAME });
  const ldapChip = row.getByTestId("user-membership").filter({ hasText: "Administrators" });
  await expect(ldapChip.getByText("LDAP", { exact: true })).toBeVisible();
  await expect(ldapChip.getByRole("button")).toHaveCount(0);

  await row.getByRole("button", { name: `Remove ${USERNAME} from ${GROUP.name}` }).click();
  await expect(row.getByTestId("user-membership").filter({ hasText: GROUP.name })).toHaveCount(0);
  expect((await database.membershipsOf(USERNAME)).map(({ origin }) => ({ origin }))).toEqual([{ origin: "ldap" }]);
  await database.removeMemberships(USERNAME);
});

test("users: a disabled user cannot sign in until enabled; the admin cannot disable or delete themselves", async ({
  adminPage: page,
  usersPage,
  signInElsewhere,
  database,
}) => {
  await usersPage.open(USERNAME);
  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `${USERNAME} is disabled and can no longer sign in.` }),
  ).toBeVisible();
  await expect(page.getByTestId("user-status")).toHaveText("Disabled");

  let member = await signInElsewhere(USERNAME, userPassword);
  await expect(member.getByRole("alert").filter({ hasText: "This account is disabled" })).toBeVisible();
  await expect(member).toHaveURL(/\/login/);

  await page.getByRole("button", { name: "Enable account" }).click();
  await expect(page.getByTestId("user-status")).toHaveText("Active");
  member = await signInElsewhere(USERNAME, userPassword);
  await expect(member).toHaveURL(/\/profile$/);

  // A reset password replaces the old one.
  await page.getByLabel("Generate", { exact: true }).check();
  await page.getByRole("button", { name: "Reset password" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Password reset/ })).toBeVisible();
  const newPassword = (await page.getByTestId("generated-password").textContent()) ?? "";
  expect(newPassword).not.toBe(userPassword);
  userPassword = newPassword;
  member = await signInElsewhere(USERNAME, userPassword);
  await expect(member).toHaveURL(/\/profile$/);

  // The administrator's own account.
  await usersPage.open(ADMIN.username);
  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "You cannot disable your own account" })).toBeVisible();
  await page.getByRole("button", { name: "Delete user" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${ADMIN.username}?` });
  await dialog.getByRole("button", { name: "Delete user" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(/You cannot delete your own account/);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: `Remove ${ADMIN.username} from Administrators` }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "You cannot remove yourself from Administrators" }),
  ).toBeVisible();
  expect((await database.findUser(ADMIN.username))?.disabled).toBe(false);
});

test("audit: the events are listed newest first and filtered by kind", async ({ page, loginPage }) => {
  // Through the form: this sign-in is the newest event the list must show first.
  await loginPage.signInAsAdmin();
  await page.goto("/admin/audit");
  const rows = page.getByTestId("audit-row");
  for (const action of [
    "group.create",
    "group.update",
    "user.create",
    "membership.add",
    "membership.remove",
    "user.disable",
    "user.enable",
    "user.password_reset",
  ]) {
    await expect(rows.filter({ hasText: action }).first()).toBeVisible();
  }
  await expect(rows.first()).toContainText("login"); // this test's own sign-in is the newest event

  // Details expand, and never contain a password.
  const created = rows.filter({ hasText: "group.create" }).filter({ hasText: "success" }).first();
  await created.getByText("Show").click();
  await expect(created.locator("pre")).toContainText(`"priority": 10`);
  expect(await page.content()).not.toContain(userPassword);

  await page.getByLabel("Kind").selectOption("group");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/\/admin\/audit\?kind=group$/);
  await expect(rows.filter({ hasText: "group.create" }).first()).toBeVisible();
  const actions = await rows.locator("td:nth-child(3)").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  for (const action of actions) expect(action).toMatch(/^group\./);

  await page.getByLabel("Kind").selectOption("user");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kind=user$/);
  await expect(rows.filter({ hasText: "user.disable" }).first()).toBeVisible();
  await expect(rows.filter({ hasText: "group." })).toHaveCount(0);
});

test("cleanup through the UI: the user and the group are deleted after a confirmation", async ({
  adminPage: page,
  usersPage,
  database,
}) => {
  await usersPage.open(USERNAME);
  await page.getByRole("button", { name: "Delete user" }).click();
  await page
    .getByRole("dialog", { name: `Delete ${USERNAME}?` })
    .getByRole("button", { name: "Delete user" })
    .click();
  await expect(page).toHaveURL(/\/admin\/users\?notice=deleted/);
  await expect(page.getByRole("status").filter({ hasText: `User ${USERNAME} deleted.` })).toBeVisible();
  await expect(page.getByTestId("user-row").filter({ hasText: USERNAME })).toHaveCount(0);

  await page.goto("/admin/groups");
  await page.getByRole("button", { name: `Delete ${GROUP.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${GROUP.name}?` });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("group-row").filter({ hasText: GROUP.name })).toHaveCount(1);
  await page.getByRole("button", { name: `Delete ${GROUP.name}` }).click();
  await dialog.getByRole("button", { name: "Delete group" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Group ${GROUP.name} deleted.` })).toBeVisible();
  await expect(page.getByTestId("group-row").filter({ hasText: GROUP.name })).toHaveCount(0);
  expect(await database.mappingsOfDn(GROUP.dn)).toBe(0);
});
