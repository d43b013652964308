/**
 * Many sign-ins at once on the pooled service connections, mixing many_groups_user (1 100 direct
 * groups, more than the service account's size limit of 500: its group query is paged) with
 * ordinary users. OpenLDAP keeps one paged-results state per connection: two paged searches
 * interleaved on one connection end with result 53 "paged results cookie is invalid or old".
 * Every concurrent result must equal the one-by-one result for the same user.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { authenticate, closeAllPools, type LdapConfig } from "../index";
import { clearNestingCache } from "../index";
import { USER_PASSWORD, dirsrvConfig, lower, openldapConfig } from "./directory-configs";

afterAll(closeAllPools);
beforeEach(async () => {
  await closeAllPools();
  clearNestingCache();
});

const USERS = ["many_groups_user", "test_user_1", "many_groups_user", "test_user_2", "many_groups_user", "test_user_3"];
const CONCURRENT = 200;

/** What a sign-in gives, comparable across runs: the groups, or the refusal's code. */
async function outcomeOf(config: LdapConfig, user: string): Promise<string> {
  const result = await authenticate(config, user, USER_PASSWORD);
  if (!result.ok)
    return `refused: ${result.error.code} at ${result.error.step}${result.error.serverDiagnostic ? ` (${result.error.serverDiagnostic})` : ""}`;
  return `groups: ${lower(result.value.groups).join(" | ")}`;
}

const directories: [string, LdapConfig][] = [
  ["OpenLDAP", openldapConfig("groupOfNames")],
  ["389 DS", dirsrvConfig()],
];

describe.each(directories)("%s: concurrent sign-ins with paged group queries", (_name, config) => {
  async function oneByOne(): Promise<Map<string, string>> {
    const expected = new Map<string, string>();
    for (const user of new Set(USERS)) expected.set(user, await outcomeOf(config, user));
    expect(expected.get("many_groups_user")).toMatch(/^groups: /);
    expect(expected.get("many_groups_user")!.split(" | ")).toHaveLength(1_101);
    expect(expected.get("test_user_3")).toBe("refused: user_not_allowed at required_group");
    clearNestingCache();
    return expected;
  }

  async function burst(expected: Map<string, string>): Promise<void> {
    const users = Array.from({ length: CONCURRENT }, (_, i) => USERS[i % USERS.length]!);
    const outcomes = await Promise.all(users.map((user) => outcomeOf(config, user)));
    const wrong = outcomes
      .map((outcome, i) => ({ user: users[i]!, outcome }))
      .filter(({ user, outcome }) => outcome !== expected.get(user));
    expect(wrong.map(({ user, outcome }) => `${user}: ${outcome.slice(0, 200)}`)).toEqual([]);
  }

  it(`${CONCURRENT} concurrent sign-ins on a warm pool give the one-by-one results`, async () => {
    await burst(await oneByOne());
  }, 120_000);

  it(`${CONCURRENT} concurrent sign-ins from cold pools give the one-by-one results`, async () => {
    const expected = await oneByOne();
    await closeAllPools();
    await burst(expected);
  }, 120_000);
});
