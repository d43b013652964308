import "server-only";
import type { SystemGroupKey } from "@/lib/db/groups";

/**
 * What an administrator may not do, as pure rules the admin actions ask before (or, for the
 * administrator rule, lib/db inside the transaction that makes the change) and unit tests reach.
 *
 * The rule that keeps the portal administrable: some enabled administrator (not disabled, in
 * Administrators by any origin) always remains, and an administrator never locks themselves out.
 * Pure: lib/db/user-admin.ts gathers the facts inside the transaction that made the change.
 */

export type AccountChange = "delete" | "disable" | "demote";

export type AdminRefusal = "last_administrator" | "self_last_administrator" | "self_lockout";

export interface AdminChangeFacts {
  /** The acting administrator changes their own account. */
  bySelf: boolean;
  /** The target was an enabled administrator before the change. */
  targetWasAdministrator: boolean;
  /** The target is still an enabled administrator after it (e.g. through an LDAP membership). */
  targetIsAdministrator: boolean;
  /** Enabled administrators after the change, counted in the same transaction. */
  enabledAdministrators: number;
}

export function adminChangeRefusal(facts: AdminChangeFacts): AdminRefusal | undefined {
  // Only a change to an administrator can empty the set; anything else is not this change's doing.
  if (facts.targetWasAdministrator && facts.enabledAdministrators === 0) {
    return facts.bySelf ? "self_last_administrator" : "last_administrator";
  }
  if (facts.bySelf && !facts.targetIsAdministrator) return "self_lockout";
  return undefined;
}

const SELF: Record<AccountChange, (group: string) => string> = {
  delete: () => "You cannot delete your own account while signed in with it",
  disable: () => "You cannot disable your own account",
  demote: (group) => `You cannot remove yourself from ${group}`,
};

const LOCKOUT: Record<AccountChange, string> = {
  delete: ". Ask another administrator.",
  disable: ": you would lock yourself out. Ask another administrator.",
  demote: ": you would lose access to the admin area.",
};

/** The form error for a refusal; `group` is the Administrators group's current name. */
export function adminRefusalMessage(
  refusal: AdminRefusal,
  change: AccountChange,
  names: { username: string; group: string },
): string {
  const last = `${names.username} is the last enabled administrator; make another user an administrator first.`;
  switch (refusal) {
    case "last_administrator":
      return last;
    case "self_last_administrator":
      return `${SELF[change](names.group)}: ${last}`;
    case "self_lockout":
      return SELF[change](names.group) + LOCKOUT[change];
  }
}

/** The built-in group every user is in without a stored membership (lib/db/groups.ts SYSTEM_GROUPS). */
const ALL_USERS: SystemGroupKey = "all_users";

/** All Users is implicit: it needs no LDAP mapping. `undefined`: the group's mappings may be saved. */
export function groupMappingRefusal(group: { systemKey: string | null }, mappingCount: number): string | undefined {
  if (group.systemKey === ALL_USERS && mappingCount > 0)
    return "All Users needs no LDAP Group: every user is already a member.";
  return undefined;
}

/** Built-in groups (All Users, Administrators) stay: the form error when one is to be deleted. */
export function builtInGroupMessage(name: string): string {
  return `${name} is a built-in group and cannot be deleted.`;
}

/**
 * A manual membership an administrator may not add: All Users holds everyone implicitly, and a
 * second manual membership in the same group adds nothing. `undefined`: it may be added.
 */
export function manualMembershipRefusal(
  user: { username: string },
  group: { name: string; systemKey: string | null },
  alreadyManualMember: boolean,
): string | undefined {
  if (group.systemKey === ALL_USERS) return `Every user is already in ${group.name}.`;
  if (alreadyManualMember) return `${user.username} is already a member of ${group.name}.`;
  return undefined;
}

export const LDAP_PASSWORD_MESSAGE = "This is an LDAP user: the password is managed in the directory, not here.";

/** Only local accounts have a password here; an LDAP user's stays in the directory. */
export function passwordResetRefusal(user: { source: string }): string | undefined {
  return user.source === "local" ? undefined : LDAP_PASSWORD_MESSAGE;
}
