/**
 * Three refusals reproduced against real servers started by e2e/directories/openldap/start.sh
 * (see its NOTES.md): an ACL that lets the service account see but not search the Search Base
 * (result 50), a size limit that paged searches hit too (result 4: the group picker fails, a
 * sign-in gets an incomplete group set), and a second slapd with no
 * TLS configuration that refuses StartTLS (result 2, "unsupported extended operation").
 */
import { afterAll, describe, expect, it } from "vitest";
import { authenticate, closeAllPools, diagnose, probe, searchGroups, type LdapConfig } from "../index";
import { signInMessageFor } from "../../auth/sign-in-messages";
import { USER_PASSWORD, lower, openldap, openldapConfig, stepNames, stepOf } from "./directory-configs";

const env = openldap();
const restricted = env.restrictedAccounts!;

afterAll(closeAllPools);

/** OpenLDAP over plain ldap:// (no TLS in the way of the refusal under test) as the given account. */
const asAccount = (account: { dn: string; password: string }, overrides: Partial<LdapConfig> = {}) =>
  openldapConfig("groupOfNames", {
    startTls: false,
    serviceAccountDn: account.dn,
    serviceAccountPassword: account.password,
    ...overrides,
  });

describe("insufficient_access: the service account may see the Search Base entry but not search it", () => {
  const config = asAccount(restricted.discloseOnly);

  it("authenticate() fails at user_search with the service-account message", async () => {
    const result = await authenticate(config, "test_user_1", USER_PASSWORD);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("insufficient_access");
    expect(result.error.step).toBe("user_search");
    expect(result.error.message).toBe("The service account may not read what is needed.");
    expect(result.error.detail).toContain(config.url);
    expect(signInMessageFor(result.error.code)).toBe("Sign-in is not available right now. Contact your administrator.");
  });

  it("diagnose(): the service bind succeeds, the search of the base is refused", async () => {
    const d = await diagnose(config, "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("insufficient_access");
    expect(stepNames(d)).toEqual(["login", "connect", "service_bind", "user_search"]);
    expect(stepOf(d, "service_bind").ok).toBe(true);
    const search = stepOf(d, "user_search");
    expect(search.ok).toBe(false);
    expect(search.detail.base).toBe(env.baseDn);
    expect(search.error?.code).toBe("insufficient_access");
  });

  it("control: the same account signs test_user_1 in with a Search Base one level down", async () => {
    const result = await authenticate(
      asAccount(restricted.discloseOnly, { searchBase: `ou=MyOrg,${env.baseDn}` }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
  });
});

describe("size limit: an account limited to a few entries, paged searches included", () => {
  const config = asAccount(restricted.sizeLimited);

  it(`authenticate(many_groups_user): ${env.bulk!.manyGroupsCount} direct groups, limit ${restricted.sizeLimited.sizeLimit}: signs in with an incomplete set`, async () => {
    // (partial-groups.int.test.ts covers what the incomplete set holds and the Required Group.)
    const result = await authenticate(config, "many_groups_user", USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.groupResolution.complete).toBe(false);
    expect(result.value.groupResolution.incompleteReason).toBe(
      `size limit exceeded after ${restricted.sizeLimited.sizeLimit} entries`,
    );
  });

  it("diagnose(many_groups_user): the user is found, the first group query is cut short after the limit", async () => {
    const d = await diagnose(config, "many_groups_user", USER_PASSWORD);
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(stepNames(d)).toEqual([
      "login",
      "connect",
      "service_bind",
      "user_search",
      "connect",
      "user_bind",
      "account_state",
      "groups",
      "required_group",
    ]);
    expect(stepOf(d, "user_search").detail.entries).toBe(1);
    expect(stepOf(d, "user_bind").ok).toBe(true);
    const groups = stepOf(d, "groups");
    expect(groups.ok).toBe(true);
    expect(groups.detail.complete).toBe(false);
    expect(d.directGroups).toHaveLength(restricted.sizeLimited.sizeLimit);
  });

  it("the paged group picker hits the same limit (size.prtotal), so paging is no way around it", async () => {
    const found = await searchGroups(config, "bulk_group");
    expect(!found.ok && found.error.code).toBe("size_limit_exceeded");
    expect(!found.ok && found.error.step).toBe("group_search");
  });

  it("control: test_user_1 (two groups, under the limit) signs in with the same account", async () => {
    const result = await authenticate(config, "test_user_1", USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(lower(result.value.groups)).toEqual(lower([env.groups.kasm_group_1!, env.groups.all_kasm_app_users!]));
  });
});

describe("starttls_failed: a slapd with no TLS configuration refuses StartTLS", () => {
  const url = env.noTlsUrl!;
  const config = openldapConfig("groupOfNames", { url, startTls: true });

  it("authenticate() fails at the tls step and keeps the server's text", async () => {
    const result = await authenticate(config, "test_user_1", USER_PASSWORD);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("starttls_failed");
    expect(result.error.step).toBe("tls");
    expect(result.error.detail).toBe(`at ${url}`);
    expect(result.error.serverDiagnostic).toMatch(/unsupported extended operation/);
    expect(signInMessageFor(result.error.code)).toBe("The directory is unavailable, please try again later");
  });

  it("diagnose(): the trace ends with the failed StartTLS connect, before any bind", async () => {
    const d = await diagnose(config, "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("starttls_failed");
    expect(stepNames(d)).toEqual(["login", "connect"]);
    const connect = stepOf(d, "connect");
    expect(connect.ok).toBe(false);
    expect(connect.detail).toEqual({ url, startTls: true });
    expect(connect.error?.code).toBe("starttls_failed");
    expect(connect.error?.step).toBe("tls");
  });

  it("probe(): with StartTLS it fails the same way; without, the RootDSE does not offer StartTLS", async () => {
    const withTls = await probe(config);
    expect(!withTls.result.ok && withTls.result.error.code).toBe("starttls_failed");

    const plain = await probe({ ...config, startTls: false, serviceAccountDn: "", serviceAccountPassword: "" });
    expect(plain.result.ok, JSON.stringify(!plain.result.ok && plain.result.error)).toBe(true);
    if (!plain.result.ok) return;
    expect(plain.result.value.vendor).toBe("openldap");
    expect(plain.result.value.supportsStartTls).toBe(false);
    expect(plain.result.value.namingContexts).toEqual([]);

    // control: the real test server (TLS configured) does offer it
    const tlsServer = await probe(openldapConfig("groupOfNames"));
    expect(tlsServer.result.ok && tlsServer.result.value.supportsStartTls).toBe(true);
  });
});
