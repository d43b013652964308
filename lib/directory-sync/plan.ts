import { dnKey } from "@/lib/ldap/dn";

/**
 * What a directory sync would change, decided from the stored app users and what the directory
 * says of them today: the same rules as a sign-in (attributes, LDAP-origin memberships, access),
 * plus the safety valve that holds a run when anything is uncertain or too much would go.
 * Pure: lib/directory-sync/run.ts reads the inputs and applies the result.
 */

/** Why the directory no longer admits a user. */
export type DirectoryRefusal = "disabled" | "not_found" | "not_matching";

export const REFUSAL_TEXT: Record<DirectoryRefusal, string> = {
  disabled: "Disabled in the directory",
  not_found: "No longer found in the directory",
  not_matching: "No longer matches the Search Filter or the Required Group",
};

/** An app user of the configuration, as stored. */
export interface SyncedUser {
  id: string;
  username: string;
  directoryId: string;
  email: string | null;
  displayName: string | null;
  lastDn: string | null;
  directoryRefusal: DirectoryRefusal | null;
  /** The LDAP-origin memberships (manual ones are never touched). */
  ldapGroupIds: string[];
}

/** What the directory says of one account (lib/ldap's DirectoryAccount, the fields used here). */
export interface FoundAccount {
  dn: string;
  email: string | undefined;
  displayName: string | undefined;
  disabled: boolean;
  matchesSearchFilter: boolean;
  inRequiredGroup: boolean;
  groups: string[];
  groupsComplete: boolean;
}

export interface UserChange {
  userId: string;
  username: string;
  /** The access taken away now, and why. */
  disable?: DirectoryRefusal;
  /** Admitted again after a refusal (an administrator's own disable stays). */
  reenable?: true;
  groupsAdded: string[];
  groupsRemoved: string[];
  email?: { from: string | null; to: string | null };
  displayName?: { from: string | null; to: string | null };
  /** The entry's DN today, when it differs from the stored one (the entry was renamed or moved). */
  dn?: string;
}

export interface SyncPlan {
  usersChecked: number;
  changes: UserChange[];
  disabled: number;
  reenabled: number;
  membershipChanges: number;
  /** Set when the run must not be applied: the reason, for the administrator. */
  held?: string;
}

export interface PlanInputs {
  users: SyncedUser[];
  /** By directory id; a user whose id is missing was not found. */
  accounts: ReadonlyMap<string, FoundAccount>;
  /** App groups mapped, for this configuration, to any of these group DNs. */
  mappedGroupIds: (groupDns: string[]) => Set<string>;
  maxDisableSharePercent: number;
}

function refusalOf(account: FoundAccount | undefined): DirectoryRefusal | null {
  if (!account) return "not_found";
  if (account.disabled) return "disabled";
  if (!account.matchesSearchFilter || !account.inRequiredGroup) return "not_matching";
  return null;
}

function changeOf(user: SyncedUser, account: FoundAccount | undefined, inputs: PlanInputs): UserChange {
  const change: UserChange = { userId: user.id, username: user.username, groupsAdded: [], groupsRemoved: [] };
  const refusal = refusalOf(account);
  if (refusal) {
    // A refused user's memberships and attributes stay as they were: only access changes.
    if (refusal !== user.directoryRefusal) change.disable = refusal;
    return change;
  }
  if (user.directoryRefusal) change.reenable = true;
  const found = account!;
  const target = inputs.mappedGroupIds(found.groups);
  const current = new Set(user.ldapGroupIds);
  change.groupsAdded = [...target].filter((id) => !current.has(id)).sort();
  // A membership an incomplete answer did not confirm is kept, as at sign-in.
  change.groupsRemoved = found.groupsComplete ? [...current].filter((id) => !target.has(id)).sort() : [];
  const email = found.email ?? null;
  if (email !== user.email) change.email = { from: user.email, to: email };
  const displayName = found.displayName ?? null;
  if (displayName !== user.displayName) change.displayName = { from: user.displayName, to: displayName };
  if (!sameDn(found.dn, user.lastDn)) change.dn = found.dn;
  return change;
}

function sameDn(a: string, b: string | null): boolean {
  return b !== null && dnKey(a) === dnKey(b);
}

const changesSomething = (change: UserChange) =>
  Boolean(
    change.disable ||
    change.reenable ||
    change.groupsAdded.length ||
    change.groupsRemoved.length ||
    change.email ||
    change.displayName ||
    change.dn,
  );

export function planSync(inputs: PlanInputs): SyncPlan {
  const all = inputs.users.map((user) => changeOf(user, inputs.accounts.get(user.directoryId), inputs));
  const changes = all.filter(changesSomething);
  // The valve counts users who lose access now, not those refused already (for another reason).
  const refusedBefore = new Set(inputs.users.filter((user) => user.directoryRefusal).map((user) => user.id));
  const disabled = changes.filter((change) => change.disable && !refusedBefore.has(change.userId)).length;
  const plan: SyncPlan = {
    usersChecked: inputs.users.length,
    changes,
    disabled: changes.filter((change) => change.disable).length,
    reenabled: changes.filter((change) => change.reenable).length,
    membershipChanges: changes.reduce(
      (sum, change) => sum + change.groupsAdded.length + change.groupsRemoved.length,
      0,
    ),
  };
  const incomplete = inputs.users.filter((user) => {
    const account = inputs.accounts.get(user.directoryId);
    return account && !refusalOf(account) && !account.groupsComplete;
  });
  if (incomplete.length > 0) {
    plan.held = `the groups of ${incomplete.length} user(s) could not be read completely (a size or time limit): nothing is changed while the answer is partial`;
    return plan;
  }
  const share = inputs.users.length === 0 ? 0 : (100 * disabled) / inputs.users.length;
  if (share > inputs.maxDisableSharePercent)
    plan.held = `would disable ${disabled} of ${inputs.users.length} users (${Math.round(share)} %), more than the Max Disable Share of ${inputs.maxDisableSharePercent} %`;
  return plan;
}
