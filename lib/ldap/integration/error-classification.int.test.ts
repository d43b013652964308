/**
 * Every error code loopback can produce, classified as an administrator needs it, and the product
 * documentation's six "Common Errors" reproduced against real servers and real sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, closeAllPools, diagnose, LDAP_ERRORS, type LdapConfig } from "../index";
import { signInMessageFor } from "../../auth/sign-in-messages";
import {
  USER_PASSWORD,
  dirsrvConfig,
  hostPort,
  openldap,
  openldapConfig,
  samba,
  sambaDocConfig,
  stepNames,
  stepOf,
} from "./directory-configs";
import {
  closedPort,
  countingProxy,
  makeExpiredCertificate,
  silentListener,
  timed,
  tlsServer,
  type TestServer,
} from "./network-faults";

const SHORT_TIMEOUT_MS = 1_000;
/** Slack for a loaded CI machine: a timeout must cost about one timeout, never an operation timeout. */
const TIMEOUT_MARGIN_MS = 1_500;

afterAll(closeAllPools);

/** A plain, StartTLS-less OpenLDAP configuration (no TLS in the way of the fault under test). */
const plainOpenldap = (overrides: Partial<LdapConfig> = {}) =>
  openldapConfig("groupOfNames", { startTls: false, ...overrides });

describe("the documentation's Common Errors", () => {
  let silent: TestServer;
  beforeAll(async () => {
    silent = await silentListener();
  });
  afterAll(() => silent.close());

  it('"socket connection error while opening: timed out" → timeout, after about one connect timeout', async () => {
    const config = sambaDocConfig({ url: silent.url, connectTimeoutMs: SHORT_TIMEOUT_MS, operationTimeoutMs: 30_000 });
    const { value: result, ms } = await timed(() => authenticate(config, "test_user_1@kasm.core", USER_PASSWORD));
    expect(!result.ok && result.error.code).toBe("timeout");
    expect(ms).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(SHORT_TIMEOUT_MS + TIMEOUT_MARGIN_MS);
    if (result.ok) return;
    expect(result.error.step).toBe("connect");
    expect(result.error.detail).toMatch(/connecting|waiting/);
    expect(result.error.detail).toContain(silent.url);
    expect(signInMessageFor(result.error.code)).toBe("The directory is unavailable, please try again later");
  });

  it('"automatic bind not successful - invalid Credentials" → service_bind_failed (wrong service password)', async () => {
    const d = await diagnose(
      sambaDocConfig({ serviceAccountPassword: "Wrong-Service-Password" }),
      "test_user_1@kasm.core",
      USER_PASSWORD,
    );
    expect(d.error?.code).toBe("service_bind_failed");
    expect(d.error?.message).toMatch(/automatic bind not successful - invalid credentials/i);
    expect(d.error?.detail).toContain(samba().serviceAccount.dn);
    expect(d.error?.serverDiagnostic).toMatch(/data 52e/);
    expect(stepNames(d)).toEqual(["login", "connect", "service_bind"]);
    expect(stepOf(d, "connect").ok).toBe(true);
    expect(stepOf(d, "service_bind").ok).toBe(false);
  });

  it('"socket ssl wrapping error : Connection reset by peer" → tls_handshake_failed (ldaps:// against OpenLDAP\'s plain port 3890)', async () => {
    const plain = hostPort(openldap().urls.ldap);
    const d = await diagnose(
      plainOpenldap({ url: `ldaps://${plain.host}:${plain.port}` }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(d.error?.code).toBe("tls_handshake_failed");
    expect(d.error?.step).toBe("connect");
    expect(d.error?.hint).toMatch(/does not speak TLS on that port/);
  });

  it('"error recieving data : Connection reset by peer" → connection_reset (ldap:// against OpenLDAP\'s LDAPS port 6360)', async () => {
    const secure = hostPort(openldap().urls.ldaps);
    const d = await diagnose(
      plainOpenldap({ url: `ldap://${secure.host}:${secure.port}` }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(d.error?.code).toBe("connection_reset");
    expect(d.error?.step).toBe("connect");
    expect(d.error?.hint).toMatch(/ldap:\/\/ against an LDAPS port/);
  });

  it('"error recieving data : Connection reset by peer" on Samba too (ldap:// against port 636)', async () => {
    const d = await diagnose(sambaDocConfig({ url: "ldap://127.0.0.2:636" }), "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("connection_reset");
  });

  it('"Unable to locate user (test@kasm.local)" → user_not_found', async () => {
    const d = await diagnose(sambaDocConfig(), "test@kasm.local", USER_PASSWORD);
    expect(d.error?.code).toBe("user_not_found");
    expect(d.error?.message).toBe("Unable to locate the user.");
    expect(d.error?.hint).toMatch(/Search Base and Search Filter/);
    expect(stepOf(d, "user_search").detail.entries).toBe(0);
    expect(stepNames(d)).not.toContain("user_bind");
  });

  it('"LDAP Login failed … AcceptSecurityContext error, data 52e" → invalid_credentials, the AD diagnostic kept for the admin', async () => {
    const result = await authenticate(sambaDocConfig(), "test_user_1@kasm.core", "Wrong-Password-000");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_credentials");
    expect(result.error.step).toBe("user_bind");
    expect(result.error.serverDiagnostic).toMatch(
      /^80090308: LdapErr: DSID-[0-9A-F]+, comment: AcceptSecurityContext error, data 52e, v[0-9a-f]+$/,
    );
    expect(result.error.serverDiagnostic).not.toContain("Wrong-Password-000");
    expect(signInMessageFor(result.error.code)).toBe("Invalid username or password");
  });

  // Samba resets the connection without a TLS alert (Node says only "read ECONNRESET"): the
  // engine still reports the documentation's "socket ssl wrapping error" for ldaps://.
  it('"socket ssl wrapping error" on Samba (ldaps:// against port 389) is tls_handshake_failed', async () => {
    const d = await diagnose(sambaDocConfig({ url: "ldaps://127.0.0.2:389" }), "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("tls_handshake_failed");
  });
});

describe("connection and TLS errors", () => {
  it("connection_refused: a closed port", async () => {
    const port = await closedPort();
    const d = await diagnose(plainOpenldap({ url: `ldap://127.0.0.1:${port}` }), "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("connection_refused");
    expect(d.error?.step).toBe("connect");
    expect(d.error?.detail).toContain(`127.0.0.1:${port}`);
    expect(stepNames(d)).toEqual(["login", "connect"]);
  });

  describe("timeout: a listener that accepts and never answers", () => {
    let silent: TestServer;
    beforeAll(async () => {
      silent = await silentListener();
    });
    afterAll(() => silent.close());

    it.each([
      ["ldap://", (url: string) => url, false],
      ["ldaps://", (url: string) => url.replace("ldap://", "ldaps://"), false],
      ["ldap:// + StartTLS", (url: string) => url, true],
    ] as const)("over %s: fails within connectTimeout + margin and says so", async (_label, urlOf, startTls) => {
      const config = plainOpenldap({
        url: urlOf(silent.url),
        startTls,
        connectTimeoutMs: SHORT_TIMEOUT_MS,
        operationTimeoutMs: 30_000,
      });
      const before = silent.connections;
      const { value: d, ms } = await timed(() => diagnose(config, "test_user_1", USER_PASSWORD));
      expect(d.error?.code).toBe("timeout");
      expect(d.error?.detail).toMatch(/connecting|waiting/);
      expect(d.error?.detail).toContain(`${SHORT_TIMEOUT_MS} ms`);
      expect(ms).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(SHORT_TIMEOUT_MS + TIMEOUT_MARGIN_MS);
      expect(silent.connections).toBe(before + 1); // the TCP connect itself succeeded
    });
  });

  it("certificate_untrusted: LDAPS without the test CA (Samba and OpenLDAP)", async () => {
    for (const config of [
      sambaDocConfig({ caCertificate: undefined }),
      openldapConfig("groupOfNames", { url: openldap().urls.ldaps, startTls: false, caCertificate: undefined }),
    ]) {
      const d = await diagnose(config, "test_user_1", USER_PASSWORD);
      expect(d.error?.code, config.url).toBe("certificate_untrusted");
      expect(d.error?.hint).toMatch(/CA Certificate/);
    }
  });

  it("certificate_untrusted over StartTLS too (Samba, no CA)", async () => {
    const d = await diagnose(
      sambaDocConfig({ url: samba().urls.ldap, startTls: true, caCertificate: undefined }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(d.error?.code).toBe("certificate_untrusted");
    expect(d.error?.step).toBe("tls");
  });

  it("verifyCertificate off: the same untrusted server is accepted (test setting)", async () => {
    const d = await diagnose(
      sambaDocConfig({ caCertificate: undefined, verifyCertificate: false }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect((stepOf(d, "connect").detail.tls as { authorized: boolean }).authorized).toBe(false);
  });

  it("certificate_hostname_mismatch: ldaps://localhost:6360 (the certificate names 127.0.0.1 only)", async () => {
    const port = hostPort(openldap().urls.ldaps).port;
    const d = await diagnose(plainOpenldap({ url: `ldaps://localhost:${port}` }), "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("certificate_hostname_mismatch");
    expect(d.error?.serverDiagnostic).toMatch(/localhost/);
  });

  describe("certificate_expired", () => {
    let server: TestServer;
    let caPem: string;
    beforeAll(async () => {
      const made = makeExpiredCertificate();
      caPem = made.caPem;
      server = await tlsServer(made.certPem, made.keyPem);
    });
    afterAll(() => server.close());

    it("a TLS server whose CA-signed certificate expired on 2021-01-01", async () => {
      const d = await diagnose(plainOpenldap({ url: server.url, caCertificate: caPem }), "test_user_1", USER_PASSWORD);
      expect(d.error?.code).toBe("certificate_expired");
      expect(d.error?.step).toBe("connect");
      expect(server.connections).toBeGreaterThanOrEqual(1);
    });
  });

  it("invalid_url: refused before any connection", async () => {
    for (const url of [
      "http://127.0.0.1:3890",
      "ldap://127.0.0.1:3890/dc=kasm,dc=core",
      "ldap://127.0.0.1:99999",
      "ldap://user:pw@127.0.0.1",
      "127.0.0.1",
    ]) {
      const d = await diagnose(plainOpenldap({ url }), "test_user_1", USER_PASSWORD);
      expect(d.error?.code, url).toBe("invalid_url");
      expect(stepNames(d), url).toEqual(["config"]);
    }
    const failover = await authenticate(plainOpenldap({ failoverUrls: ["ldap//typo"] }), "test_user_1", USER_PASSWORD);
    expect(!failover.ok && failover.error.code).toBe("invalid_url");
  });
});

describe("bind and search errors", () => {
  it("strong_auth_required: a simple bind over plain ldap:// on Samba", async () => {
    const d = await diagnose(sambaDocConfig({ url: samba().urls.ldap }), "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("strong_auth_required");
    expect(d.error?.step).toBe("service_bind");
    expect(d.error?.serverDiagnostic).toMatch(/Transport encryption required/);
    expect(d.error?.hint).toMatch(/ldaps:\/\/ or turn on StartTLS/);
  });

  it("service_bind_failed on OpenLDAP and 389 DS too", async () => {
    for (const config of [
      plainOpenldap({ serviceAccountPassword: "nope" }),
      dirsrvConfig({ serviceAccountPassword: "nope" }),
    ]) {
      const result = await authenticate(config, "test_user_1", USER_PASSWORD);
      expect(!result.ok && result.error.code, config.url).toBe("service_bind_failed");
    }
  });

  it("base_not_found: a Search Base that does not exist (Samba and OpenLDAP)", async () => {
    for (const config of [
      sambaDocConfig({ searchBase: "OU=Nowhere,DC=kasm,DC=core" }),
      plainOpenldap({ searchBase: "ou=Nowhere,dc=kasm,dc=core" }),
    ]) {
      const d = await diagnose(config, "test_user_1", USER_PASSWORD);
      expect(d.error?.code, config.url).toBe("base_not_found");
      expect(d.error?.step).toBe("user_search");
      expect(stepOf(d, "user_search").detail.base).toBe(config.searchBase);
    }
  });

  it("invalid_filter: an unbalanced Search Filter is refused before any I/O, and the message says where", async () => {
    const port = await closedPort();
    const searchFilter = "(&(objectClass=user)(sAMAccountName={0})";
    const config = sambaDocConfig({ url: `ldaps://127.0.0.1:${port}`, searchFilter });
    const d = await diagnose(config, "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("invalid_filter");
    expect(d.error?.step).toBe("config");
    // the missing ')' belongs at the very end of the filter
    expect(d.error?.detail).toBe(`searchFilter: Missing ')' at position ${searchFilter.length}`);
    expect(stepNames(d)).toEqual(["config"]);
  });

  it("invalid_filter: an unbalanced Group Membership Filter and an unknown placeholder", async () => {
    const group = await authenticate(
      sambaDocConfig({ groupMembershipFilter: "(&(objectClass=group)(member={0})" }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(!group.ok && group.error.code).toBe("invalid_filter");
    expect(!group.ok && group.error.detail).toMatch(/groupMembershipFilter: .*position/);
    const placeholder = await authenticate(
      sambaDocConfig({ searchFilter: "(sAMAccountName={user})" }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(!placeholder.ok && placeholder.error.detail).toMatch(/Unknown placeholder \{user\} at position 16/);
  });

  it("user_ambiguous: a Search Filter that matches several users", async () => {
    const config = sambaDocConfig({
      searchFilter: "(&(objectClass=user)(|(sAMAccountName={0})(sAMAccountName=test_user_2)))",
    });
    const d = await diagnose(config, "test_user_1", USER_PASSWORD);
    expect(d.error?.code).toBe("user_ambiguous");
    expect(d.error?.detail).toContain(samba().users.test_user_1!.dn);
    expect(d.error?.detail).toContain(samba().users.test_user_2!.dn);
    expect(stepNames(d)).not.toContain("user_bind");
  });

  it("invalid_credentials on OpenLDAP and 389 DS (a bare code 49)", async () => {
    for (const config of [plainOpenldap(), dirsrvConfig()]) {
      const result = await authenticate(config, "test_user_1", "Wrong-Password-000");
      expect(!result.ok && result.error.code, config.url).toBe("invalid_credentials");
    }
  });

  it('account_disabled on 389 DS (nsAccountLock: "Account inactivated", code 53)', async () => {
    const result = await authenticate(dirsrvConfig(), "disabled_user", USER_PASSWORD);
    expect(!result.ok && result.error.code).toBe("account_disabled");
    expect(!result.ok && result.error.serverDiagnostic).toMatch(/Account inactivated/);
  });

  it("invalid_login: control characters are refused before any I/O", async () => {
    const port = await closedPort();
    const result = await authenticate(
      plainOpenldap({ url: `ldap://127.0.0.1:${port}` }),
      "test_user_1\u0000",
      USER_PASSWORD,
    );
    expect(!result.ok && result.error.code).toBe("invalid_login");
  });
});

describe("empty passwords", () => {
  it("are refused before any network I/O (the config points at a closed port and still says empty_password)", async () => {
    const port = await closedPort();
    for (const password of ["", "   ", "\t \n"]) {
      const d = await diagnose(plainOpenldap({ url: `ldap://127.0.0.1:${port}` }), "test_user_1", password);
      expect(d.error?.code, JSON.stringify(password)).toBe("empty_password");
      expect(d.error?.step).toBe("user_bind");
      expect(stepNames(d)).toEqual(["login", "user_bind"]);
      const result = await authenticate(plainOpenldap({ url: `ldap://127.0.0.1:${port}` }), "test_user_1", password);
      expect(!result.ok && result.error.code).toBe("empty_password");
    }
  });

  it("are refused on all three servers, and no connection is even opened (counting proxy)", async () => {
    const configs = [
      sambaDocConfig(),
      sambaDocConfig({ url: samba().urls.ldap, startTls: true }),
      openldapConfig("groupOfNames"),
      dirsrvConfig(),
    ];
    for (const config of configs) {
      const proxy = await countingProxy(hostPort(config.url));
      try {
        const proxied = {
          ...config,
          url: proxy.url.replace("ldap://", config.url.startsWith("ldaps:") ? "ldaps://" : "ldap://"),
        };
        for (const password of ["", " "]) {
          const result = await authenticate(proxied, "test_user_1@kasm.core", password);
          expect(!result.ok && result.error.code, config.url).toBe("empty_password");
        }
        expect(proxy.connections, config.url).toBe(0);
        // control: the same configuration does reach the server with the real password (without
        // host-name verification: through the proxy the URL says 127.0.0.1, Samba's certificate 127.0.0.2)
        const ok = await authenticate({ ...proxied, verifyCertificate: false }, "test_user_1@kasm.core", USER_PASSWORD);
        expect(ok.ok, `${config.url} ${JSON.stringify(!ok.ok && ok.error)}`).toBe(true);
        expect(proxy.connections).toBeGreaterThan(0);
      } finally {
        await closeAllPools();
        await proxy.close();
      }
    }
  });

  it("an empty Service Account Password is refused as empty_password at service_bind (never an anonymous bind)", async () => {
    const port = await closedPort();
    for (const serviceAccountPassword of ["", "  "]) {
      const d = await diagnose(
        plainOpenldap({ url: `ldap://127.0.0.1:${port}`, serviceAccountPassword }),
        "test_user_1",
        USER_PASSWORD,
      );
      expect(d.error?.code).toBe("empty_password");
      expect(d.error?.step).toBe("service_bind");
      expect(d.error?.detail).toMatch(/Service Account Password is empty/);
    }
    const real = await authenticate(sambaDocConfig({ serviceAccountPassword: "" }), "test_user_1", USER_PASSWORD);
    expect(!real.ok && real.error.code).toBe("empty_password");
  });
});

describe("the error catalogue", () => {
  it("every code has a message and a hint", () => {
    for (const [code, entry] of Object.entries(LDAP_ERRORS)) {
      expect(entry.message, code).toMatch(/\S/);
      expect(entry.hint, code).toMatch(/\S/);
    }
  });
});
