import { describe, expect, it } from "vitest";
import { planSync, type FoundAccount, type PlanInputs, type SyncedUser } from "./plan";

const GROUP_1 = "CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core";
const GROUP_2 = "CN=kasm_group_2,OU=MyOrg,DC=kasm,DC=core";
const MAPPED: Record<string, string> = { [GROUP_1]: "app-group-1", [GROUP_2]: "app-group-2" };

const user = (n: number, extra: Partial<SyncedUser> = {}): SyncedUser => ({
  id: `user-${n}`,
  username: `test_user_${n}@kasm.core`,
  directoryId: `id-${n}`,
  email: `test_user_${n}@kasm.core`,
  displayName: `Test User ${n}`,
  lastDn: `CN=test_user_${n},OU=MyOrg,DC=kasm,DC=core`,
  directoryRefusal: null,
  ldapGroupIds: [],
  ...extra,
});

const account = (n: number, extra: Partial<FoundAccount> = {}): FoundAccount => ({
  dn: `CN=test_user_${n},OU=MyOrg,DC=kasm,DC=core`,
  email: `test_user_${n}@kasm.core`,
  displayName: `Test User ${n}`,
  disabled: false,
  matchesSearchFilter: true,
  inRequiredGroup: true,
  groups: [],
  groupsComplete: true,
  ...extra,
});

function inputs(users: SyncedUser[], accounts: [number, FoundAccount][], maxDisableSharePercent = 100): PlanInputs {
  return {
    users,
    accounts: new Map(accounts.map(([n, found]) => [`id-${n}`, found])),
    mappedGroupIds: (dns) => new Set(dns.flatMap((dn) => (MAPPED[dn] ? [MAPPED[dn]] : []))),
    maxDisableSharePercent,
  };
}

describe("planSync", () => {
  it("changes nothing for users the directory still admits as stored", () => {
    const plan = planSync(
      inputs([user(1, { ldapGroupIds: ["app-group-1"] })], [[1, account(1, { groups: [GROUP_1] })]]),
    );
    expect(plan).toEqual({ usersChecked: 1, changes: [], disabled: 0, reenabled: 0, membershipChanges: 0 });
  });

  it("disables users disabled, gone or no longer matching, keeping their groups and attributes", () => {
    const plan = planSync(
      inputs(
        [user(1, { ldapGroupIds: ["app-group-1"] }), user(2), user(3), user(4)],
        [
          [1, account(1, { disabled: true, email: "changed@kasm.core" })],
          [3, account(3, { inRequiredGroup: false })],
          [4, account(4, { matchesSearchFilter: false })],
        ],
      ),
    );
    expect(
      plan.changes.map(({ username, disable, groupsRemoved, email }) => ({ username, disable, groupsRemoved, email })),
    ).toEqual([
      { username: "test_user_1@kasm.core", disable: "disabled", groupsRemoved: [], email: undefined },
      { username: "test_user_2@kasm.core", disable: "not_found", groupsRemoved: [], email: undefined },
      { username: "test_user_3@kasm.core", disable: "not_matching", groupsRemoved: [], email: undefined },
      { username: "test_user_4@kasm.core", disable: "not_matching", groupsRemoved: [], email: undefined },
    ]);
    expect(plan.disabled).toBe(4);
    expect(plan.held).toBeUndefined();
  });

  it("re-enables a user the directory admits again and follows its groups, email and name", () => {
    const plan = planSync(
      inputs(
        [user(1, { directoryRefusal: "disabled", ldapGroupIds: ["app-group-2"] })],
        [[1, account(1, { groups: [GROUP_1], email: "new@kasm.core", displayName: "Renamed" })]],
      ),
    );
    expect(plan.changes).toEqual([
      {
        userId: "user-1",
        username: "test_user_1@kasm.core",
        reenable: true,
        groupsAdded: ["app-group-1"],
        groupsRemoved: ["app-group-2"],
        email: { from: "test_user_1@kasm.core", to: "new@kasm.core" },
        displayName: { from: "Test User 1", to: "Renamed" },
      },
    ]);
    expect([plan.reenabled, plan.membershipChanges]).toEqual([1, 2]);
  });

  it("follows a renamed or moved entry by its id, recording its new DN", () => {
    const plan = planSync(
      inputs(
        [user(1)],
        [
          [1, account(1, { dn: "cn=Test_User_1, ou=MyOrg, dc=kasm, dc=core" })],
          [2, account(2)],
        ],
      ),
    );
    expect(plan.changes).toEqual([]);
    const moved = planSync(inputs([user(1)], [[1, account(1, { dn: "CN=test_user_1,OU=Moved,DC=kasm,DC=core" })]]));
    expect(moved.changes).toEqual([
      {
        userId: "user-1",
        username: "test_user_1@kasm.core",
        groupsAdded: [],
        groupsRemoved: [],
        dn: "CN=test_user_1,OU=Moved,DC=kasm,DC=core",
      },
    ]);
  });

  it("keeps memberships an incomplete group answer did not confirm, and holds the run", () => {
    const plan = planSync(
      inputs([user(1, { ldapGroupIds: ["app-group-2"] })], [[1, account(1, { groups: [], groupsComplete: false })]]),
    );
    expect(plan.changes).toEqual([]);
    expect(plan.held).toMatch(/could not be read completely/);
  });

  it("holds a run that would disable more than the Max Disable Share, and lists what it would do", () => {
    const users = Array.from({ length: 10 }, (_, i) => user(i + 1));
    const found = users.slice(2).map((_, i): [number, FoundAccount] => [i + 3, account(i + 3)]);
    expect(planSync(inputs(users, found, 20)).held).toBeUndefined();
    const plan = planSync(inputs(users, found, 10));
    expect(plan.held).toBe("would disable 2 of 10 users (20 %), more than the Max Disable Share of 10 %");
    expect(plan.changes.map((change) => change.disable)).toEqual(["not_found", "not_found"]);
  });

  it("does not count users refused already against the valve, nor change them again", () => {
    const users = [user(1, { directoryRefusal: "not_found" }), user(2)];
    const plan = planSync(inputs(users, [[2, account(2)]], 0));
    expect(plan).toEqual({ usersChecked: 2, changes: [], disabled: 0, reenabled: 0, membershipChanges: 0 });
  });
});
