import { describe, expect, it } from "vitest";
import {
  adminChangeRefusal,
  adminRefusalMessage,
  builtInGroupMessage,
  groupMappingRefusal,
  manualMembershipRefusal,
  passwordResetRefusal,
  type AdminChangeFacts,
} from "./admin-rules";

const change = (facts: Partial<AdminChangeFacts>): AdminChangeFacts => ({
  bySelf: false,
  targetWasAdministrator: true,
  targetIsAdministrator: false,
  enabledAdministrators: 1,
  ...facts,
});

describe("adminChangeRefusal", () => {
  it.each<[string, Partial<AdminChangeFacts>, ReturnType<typeof adminChangeRefusal>]>([
    ["another administrator remains", {}, undefined],
    ["the last administrator removed by another account", { enabledAdministrators: 0 }, "last_administrator"],
    [
      "the last administrator removing themselves",
      { bySelf: true, enabledAdministrators: 0 },
      "self_last_administrator",
    ],
    ["an administrator removing themselves while others remain", { bySelf: true }, "self_lockout"],
    [
      "removing the manual membership of someone still administrator by LDAP",
      { bySelf: true, targetIsAdministrator: true },
      undefined,
    ],
    [
      "changing a non-administrator while none is left (not this change's doing)",
      { targetWasAdministrator: false, enabledAdministrators: 0 },
      undefined,
    ],
    ["enabling or keeping an administrator", { targetIsAdministrator: true, enabledAdministrators: 2 }, undefined],
  ])("%s", (_, facts, expected) => {
    expect(adminChangeRefusal(change(facts))).toBe(expected);
  });
});

describe("adminRefusalMessage", () => {
  const names = { username: "admin@portal.local", group: "Administrators" };

  it("names the last administrator and what to do", () => {
    expect(adminRefusalMessage("last_administrator", "disable", names)).toBe(
      "admin@portal.local is the last enabled administrator; make another user an administrator first.",
    );
    expect(adminRefusalMessage("self_last_administrator", "demote", names)).toBe(
      "You cannot remove yourself from Administrators: admin@portal.local is the last enabled administrator; make another user an administrator first.",
    );
  });

  it("keeps the self-lockout wording per change", () => {
    expect(adminRefusalMessage("self_lockout", "delete", names)).toBe(
      "You cannot delete your own account while signed in with it. Ask another administrator.",
    );
    expect(adminRefusalMessage("self_lockout", "disable", names)).toBe(
      "You cannot disable your own account: you would lock yourself out. Ask another administrator.",
    );
    expect(adminRefusalMessage("self_lockout", "demote", names)).toBe(
      "You cannot remove yourself from Administrators: you would lose access to the admin area.",
    );
  });
});

describe("group and membership rules", () => {
  const allUsers = { name: "All Users", systemKey: "all_users" };
  const custom = { name: "LDAP Group 1", systemKey: null };

  it("All Users takes no LDAP mapping; other groups do", () => {
    expect(groupMappingRefusal(allUsers, 1)).toBe("All Users needs no LDAP Group: every user is already a member.");
    expect(groupMappingRefusal(allUsers, 0)).toBeUndefined();
    expect(groupMappingRefusal(custom, 3)).toBeUndefined();
    expect(groupMappingRefusal({ systemKey: "administrators" }, 1)).toBeUndefined();
  });

  it("names a built-in group that cannot be deleted", () => {
    expect(builtInGroupMessage("Administrators")).toBe("Administrators is a built-in group and cannot be deleted.");
  });

  it("refuses a manual membership in All Users or a second one in the same group", () => {
    const user = { username: "jane@portal.local" };
    expect(manualMembershipRefusal(user, allUsers, false)).toBe("Every user is already in All Users.");
    expect(manualMembershipRefusal(user, custom, true)).toBe("jane@portal.local is already a member of LDAP Group 1.");
    expect(manualMembershipRefusal(user, custom, false)).toBeUndefined();
  });

  it("resets passwords of local accounts only", () => {
    expect(passwordResetRefusal({ source: "local" })).toBeUndefined();
    expect(passwordResetRefusal({ source: "ldap" })).toBe(
      "This is an LDAP user: the password is managed in the directory, not here.",
    );
  });
});
