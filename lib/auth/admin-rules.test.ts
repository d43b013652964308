import { describe, expect, it } from "vitest";
import { adminChangeRefusal, adminRefusalMessage, type AdminChangeFacts } from "./admin-rules";

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
    ["the last administrator removing themselves", { bySelf: true, enabledAdministrators: 0 }, "self_last_administrator"],
    ["an administrator removing themselves while others remain", { bySelf: true }, "self_lockout"],
    ["removing the manual membership of someone still administrator by LDAP", { bySelf: true, targetIsAdministrator: true }, undefined],
    ["changing a non-administrator while none is left (not this change's doing)", { targetWasAdministrator: false, enabledAdministrators: 0 }, undefined],
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
    expect(adminRefusalMessage("self_lockout", "delete", names)).toBe("You cannot delete your own account while signed in with it. Ask another administrator.");
    expect(adminRefusalMessage("self_lockout", "disable", names)).toBe("You cannot disable your own account: you would lock yourself out. Ask another administrator.");
    expect(adminRefusalMessage("self_lockout", "demote", names)).toBe("You cannot remove yourself from Administrators: you would lose access to the admin area.");
  });
});
