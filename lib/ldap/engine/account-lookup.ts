import "server-only";
import type { Entry } from "ldapts";
import type { LdapConfig } from "../config";
import { dnKey } from "../dn";
import { ldapError, type Result } from "../errors";
import { substituteFilter } from "../filter";
import { directoryIdFilter, matchingAnyLogin } from "../sync-filter";
import { accountStateOf, type AccountState } from "./account-state";
import { connectWithFailover, serviceBind } from "./connection";
import { hasGroup, resolveGroups } from "./groups";
import { toLdaptsFilter } from "./ldapts-filter";
import { memberOfIsRanged, memberOfValues } from "./member-of-walk";
import { compiled as compiledFor } from "./registry";
import { searchGroupEntries, type GroupQueryResult } from "./group-search";
import { allValues, directoryIdOf, firstValue, pagedSearch, textAttributes } from "./search";

/** What the directory says today of an account a sign-in once admitted, found by its immutable id. */
export interface DirectoryAccount {
  directoryId: string;
  dn: string;
  email: string | undefined;
  displayName: string | undefined;
  accountState: AccountState;
  /**
   * Disabled by the directory's administrators: AD ACCOUNTDISABLE or an expired account, 389 DS
   * nsAccountLock, OpenLDAP's permanent ppolicy lock. A lockout after failed passwords is not.
   */
  disabled: boolean;
  /** The Search Filter still finds the entry for some login. */
  matchesSearchFilter: boolean;
  /** Every group DN, direct and nested, resolved as a sign-in resolves them (when the filter matches). */
  groups: string[];
  /** False when the group resolution was cut short: a membership missing from `groups` is unknown. */
  groupsComplete: boolean;
  /** In the Required Group, or none is set. */
  inRequiredGroup: boolean;
}

export interface AccountLookUp {
  /** The accounts found; an id missing here has no entry under the Search Base. */
  accounts: Map<string, DirectoryAccount>;
  /** LDAP requests sent (searches, paged pages counted once). */
  requests: number;
}

const DEFAULT_BATCH = 200;
/** OpenLDAP ppolicy's "locked until an administrator unlocks it". */
const PERMANENT_PPOLICY_LOCK = "000001010000Z";

/**
 * Looks accounts up by directory id, `batchSize` ids per paged search, on one service connection:
 * per batch one search for the entries, one for those the Search Filter still matches, and one
 * for their groups (the Group Membership Filter of every user OR-ed, or memberOf); parents come
 * from the nesting cache, as at sign-in. Any error fails the whole look-up: the sync then changes
 * nothing.
 */
export async function lookUpAccounts(
  config: LdapConfig,
  directoryIds: string[],
  { batchSize = DEFAULT_BATCH }: { batchSize?: number } = {},
): Promise<Result<AccountLookUp>> {
  const compiled = compiledFor(config);
  if (compiled.invalid) return { ok: false, error: compiled.invalid };
  if (!compiled.searchFilter.ok)
    return {
      ok: false,
      error: ldapError("invalid_filter", "user_search", {
        detail: `Search Filter: ${compiled.searchFilter.error.message}`,
      }),
    };
  const anyLogin = matchingAnyLogin(compiled.searchFilter.value);
  if (!anyLogin)
    return {
      ok: false,
      error: ldapError("invalid_filter", "user_search", {
        detail:
          "the Search Filter uses a login placeholder in an ordering or extensible match: the sync cannot ask which entries it finds",
      }),
    };
  const opened = await connectWithFailover(compiled, undefined, serviceBind(config, undefined));
  if (!opened.ok) return opened;
  const connection = opened.value;
  connection.settle();
  const context = { url: connection.url, timeoutMs: config.operationTimeoutMs, observer: compiled.observer };
  const scope = config.searchSubtree ? "sub" : "one";
  const accounts = new Map<string, DirectoryAccount>();
  let requests = 0;
  try {
    for (let start = 0; start < directoryIds.length; start += batchSize) {
      const batch = directoryIds.slice(start, start + batchSize);
      const byId = directoryIdFilter(batch);
      const found = await pagedSearch(
        connection.client,
        config.searchBase,
        { scope, filter: toLdaptsFilter(byId), attributes: [...compiled.attributes.diagnose, "memberOf"] },
        "user_search",
        context,
      );
      const matching = await pagedSearch(
        connection.client,
        config.searchBase,
        { scope, filter: toLdaptsFilter({ type: "and", children: [anyLogin, byId] }), attributes: ["1.1"] },
        "user_search",
        context,
      );
      requests += 2;
      if (!found.ok) return found;
      if (!matching.ok) return matching;
      const matchingDns = new Set(matching.value.map((entry) => dnKey(entry.dn)));
      const candidates = found.value.filter((entry) => matchingDns.has(dnKey(entry.dn)));
      const answers = await batchGroupAnswers(candidates);
      if (!answers.ok) return answers;
      for (const entry of found.value) {
        const directoryId = directoryIdOf(entry);
        if (!directoryId) continue;
        const account = await accountOf(
          entry,
          directoryId,
          matchingDns.has(dnKey(entry.dn)),
          answers.value?.get(dnKey(entry.dn)),
        );
        if (!account.ok) return account;
        requests += account.value.requests;
        accounts.set(directoryId, account.value.account);
      }
    }
  } finally {
    await connection.close();
  }
  return { ok: true, value: { accounts, requests } };

  /**
   * The Group Membership Filter's answer for every entry of a batch, from ONE query: the filter
   * for each user, OR-ed, reading the groups' member attribute to tell whose groups they are.
   * Undefined where the filter cannot be answered that way (none, the AD in-chain rule, a member
   * attribute the filter does not name): each user is then resolved as at sign-in.
   */
  async function batchGroupAnswers(
    entries: Entry[],
  ): Promise<Result<Map<string, GroupQueryResult<string[]>> | undefined>> {
    const groupFilter = compiled.groupFilter;
    const attribute = groupFilter?.memberAttribute;
    if (!groupFilter?.tree.ok || groupFilter.usesInChainRule || !attribute || entries.length === 0)
      return { ok: true, value: undefined };
    const byName = attribute.toLowerCase() === "memberuid";
    const keyOfMember = (entry: Entry) => (byName ? usernameOf(entry).toLowerCase() : dnKey(entry.dn));
    const tree = groupFilter.tree.value;
    const perUser = entries.map((entry) =>
      substituteFilter(tree, { "0": entry.dn, dn: entry.dn, username: usernameOf(entry) }),
    );
    const found = await searchGroupEntries(groupContext(), { type: "or", children: perUser }, [attribute], []);
    requests += 1;
    if (!found.ok) return found;
    const answers = new Map<string, GroupQueryResult<string[]>>(
      entries.map((entry) => [
        dnKey(entry.dn),
        { value: [], ...(found.value.incompleteReason ? { incompleteReason: found.value.incompleteReason } : {}) },
      ]),
    );
    const wanted = new Map(entries.map((entry) => [keyOfMember(entry), dnKey(entry.dn)]));
    for (const group of found.value.value) {
      for (const member of allValues(group, attribute)) {
        const user = wanted.get(byName ? member.toLowerCase() : dnKey(member));
        if (user) answers.get(user)!.value.push(group.dn);
      }
    }
    return { ok: true, value: answers };
  }

  function groupContext() {
    return {
      client: connection.client,
      compiled,
      url: connection.url,
      isAlive: () => connection.isAlive(),
      readCache: true,
      mayRemember: Promise.resolve(true),
    };
  }

  async function accountOf(
    entry: Entry,
    directoryId: string,
    matchesSearchFilter: boolean,
    filterAnswer: GroupQueryResult<string[]> | undefined,
  ): Promise<Result<{ account: DirectoryAccount; requests: number }>> {
    const attributes = textAttributes(entry);
    const accountState = accountStateOf(attributes);
    const base = {
      directoryId,
      dn: entry.dn,
      email: firstValue(entry, config.emailAttribute),
      displayName: firstValue(entry, "displayName") ?? firstValue(entry, "cn"),
      accountState,
      disabled:
        accountState.flags.includes("disabled") ||
        accountState.flags.includes("account_expired") ||
        firstValue(entry, "pwdAccountLockedTime") === PERMANENT_PPOLICY_LOCK,
      matchesSearchFilter,
    };
    if (!matchesSearchFilter)
      return {
        ok: true,
        value: { account: { ...base, groups: [], groupsComplete: true, inRequiredGroup: false }, requests: 0 },
      };
    const resolved = await resolveGroups(groupContext(), {
      dn: entry.dn,
      username: usernameOf(entry),
      memberOf: memberOfValues(entry),
      memberOfComplete: !memberOfIsRanged(attributes),
      ...(filterAnswer ? { filterAnswer } : {}),
    });
    if (!resolved.ok) return resolved;
    const { all, complete, queries } = resolved.value;
    const required = config.requiredGroupDn?.trim();
    return {
      ok: true,
      value: {
        account: {
          ...base,
          groups: all,
          groupsComplete: complete,
          inRequiredGroup: !required || hasGroup(all, required),
        },
        requests: queries.length,
      },
    };
  }
}

/** The login name a sign-in would have put in {username}: sAMAccountName or uid. */
function usernameOf(entry: Entry): string {
  return firstValue(entry, "sAMAccountName") ?? firstValue(entry, "uid") ?? "";
}
