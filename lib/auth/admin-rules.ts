import "server-only";

/**
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
export function adminRefusalMessage(refusal: AdminRefusal, change: AccountChange, names: { username: string; group: string }): string {
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
