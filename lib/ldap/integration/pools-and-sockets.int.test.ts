/**
 * Connection hygiene: pooled service and bind connections are reused (counted on the wire by a
 * TCP proxy in front of OpenLDAP), a changed configuration gets new ones, and nothing is left
 * open after closeAllPools() — whatever failed or timed out on the way.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  authenticate,
  closeAllPools,
  diagnose,
  forgetConfiguration,
  probe,
  searchGroups,
  type LdapConfig,
} from "../index";
import {
  USER_PASSWORD,
  dirsrvConfig,
  hostPort,
  openldap,
  openldapConfig,
  sambaDocConfig,
  samba,
} from "./directory-configs";
import { closedPort, countingProxy, openSockets, settle, silentListener, timed } from "./network-faults";

afterAll(closeAllPools);

/** Waits until `check` holds (sockets close asynchronously), at most `ms`. */
async function eventually(check: () => boolean, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await settle(20);
}

describe("pool reuse, counted on the wire", () => {
  it("two authenticate() calls on the same config reuse the service and bind connections", async () => {
    const proxy = await countingProxy(hostPort(openldap().urls.ldap));
    try {
      const config = openldapConfig("groupOfNames", { url: proxy.url });
      const first = await authenticate(config, "test_user_1@kasm.core", USER_PASSWORD);
      expect(first.ok, JSON.stringify(!first.ok && first.error)).toBe(true);
      // one service connection (searches) and one for user binds — the service one is never re-bound
      expect(proxy.connections).toBe(2);

      const second = await authenticate(config, "test_user_2@kasm.core", USER_PASSWORD);
      expect(second.ok).toBe(true);
      const wrong = await authenticate(config, "test_user_1@kasm.core", "Wrong-Password-000");
      expect(!wrong.ok && wrong.error.code).toBe("invalid_credentials");
      const denied = await authenticate(config, "test_user_3@kasm.core", USER_PASSWORD);
      expect(!denied.ok && denied.error.code).toBe("user_not_allowed");
      const again = await authenticate(config, "test_user_1@kasm.core", USER_PASSWORD);
      expect(again.ok).toBe(true);
      expect(proxy.connections).toBe(2);
      expect(proxy.active).toBe(2);
    } finally {
      await closeAllPools();
      await proxy.close();
    }
  });

  it("a changed configuration (another service password) opens a new connection and drains the old pool", async () => {
    const proxy = await countingProxy(hostPort(openldap().urls.ldap));
    try {
      const config = openldapConfig("groupOfNames", { url: proxy.url });
      expect((await authenticate(config, "test_user_1", USER_PASSWORD)).ok).toBe(true);
      expect(proxy.connections).toBe(2);

      // The admin saves a new (wrong) service password: the connection bound with the old one must not serve it.
      const changed: LdapConfig = { ...config, serviceAccountPassword: "Changed-Service-Password" };
      await forgetConfiguration(config); // what saving does (lib/configurations)
      const refused = await authenticate(changed, "test_user_1", USER_PASSWORD);
      expect(!refused.ok && refused.error.code).toBe("service_bind_failed");
      expect(proxy.connections).toBe(3);

      // Back to a working configuration (the key changed again): new pools, and it works.
      const fixed: LdapConfig = { ...config, operationTimeoutMs: config.operationTimeoutMs + 1 };
      await forgetConfiguration(changed);
      const ok = await authenticate(fixed, "test_user_2", USER_PASSWORD);
      expect(ok.ok, JSON.stringify(!ok.ok && ok.error)).toBe(true);
      expect(proxy.connections).toBe(5);
      // Old service pools were drained: only the new service connection and the bind connections remain.
      await eventually(() => proxy.active <= 3);
      expect(proxy.active).toBeLessThanOrEqual(3);

      await closeAllPools();
      await eventually(() => proxy.active === 0);
      expect(proxy.active).toBe(0);
    } finally {
      await closeAllPools();
      await proxy.close();
    }
  });

  it("concurrent logins are served by bounded pools (at most 4 service and 16 bind connections)", async () => {
    const proxy = await countingProxy(hostPort(openldap().urls.ldap));
    try {
      const config = openldapConfig("groupOfNames", { url: proxy.url });
      const users = [
        "test_user_1",
        "test_user_2",
        "comma_user",
        "plus_user",
        "quote_user",
        "test_user_1",
        "test_user_2",
        "many_groups_user",
      ];
      const results = await Promise.all([...users, ...users].map((user) => authenticate(config, user, USER_PASSWORD)));
      expect(results.every((result) => result.ok)).toBe(true);
      expect(proxy.connections).toBeGreaterThanOrEqual(2);
      expect(proxy.connections).toBeLessThanOrEqual(4 + 16);
    } finally {
      await closeAllPools();
      await proxy.close();
    }
  });

  /** Signs in, lets the server side drop both pooled connections, signs in again. */
  async function loginAfterDrop(startTls: boolean) {
    const proxy = await countingProxy(hostPort(openldap().urls.ldap));
    try {
      const config = openldapConfig("groupOfNames", { url: proxy.url, startTls, operationTimeoutMs: 1_500 });
      const first = await authenticate(config, "test_user_1", USER_PASSWORD);
      expect(first.ok, JSON.stringify(!first.ok && first.error)).toBe(true);
      proxy.dropAll();
      await eventually(() => proxy.active === 0);
      await settle(100);
      const { value: after, ms } = await timed(() => authenticate(config, "test_user_2", USER_PASSWORD));
      return { after, ms, connections: proxy.connections };
    } finally {
      await closeAllPools();
      await proxy.close();
    }
  }

  it("a plain ldap:// pooled connection the server dropped while idle is replaced transparently", async () => {
    const { after, ms, connections } = await loginAfterDrop(false);
    expect(after.ok, JSON.stringify(!after.ok && after.error)).toBe(true);
    expect(ms).toBeLessThan(1_000); // no operation timeout paid
    expect(connections).toBe(4);
  });

  // After StartTLS ldapts watches only the plain socket; the engine tracks the TLS socket's close.
  it("a StartTLS pooled connection the server dropped while idle is replaced transparently", async () => {
    const { after, ms } = await loginAfterDrop(true);
    expect(after.ok, JSON.stringify(!after.ok && after.error)).toBe(true);
    expect(ms).toBeLessThan(1_000);
  });
});

describe("socket hygiene", () => {
  it("after many calls, failures and timeouts included, and closeAllPools(), no socket is left open", async () => {
    await closeAllPools();
    await settle();
    const before = openSockets();
    const silent = await silentListener();
    const closed = await closedPort();
    const short = { connectTimeoutMs: 500 };
    const ol = openldap();
    const plain = hostPort(ol.urls.ldap);
    const secure = hostPort(ol.urls.ldaps);
    try {
      const sambaConfig = sambaDocConfig();
      const configs = {
        samba: sambaConfig,
        sambaStartTls: sambaDocConfig({ url: samba().urls.ldap, startTls: true }),
        names: openldapConfig("groupOfNames"),
        unique: openldapConfig("groupOfUniqueNames"),
        posix: openldapConfig("posixGroup"),
        dirsrv: dirsrvConfig(),
      };
      const calls: Promise<unknown>[] = [];
      for (const config of Object.values(configs)) {
        for (const user of ["test_user_1", "test_user_2", "test_user_3", "nobody"]) {
          calls.push(authenticate(config, user, USER_PASSWORD), authenticate(config, user, "Wrong-Password-000"));
        }
      }
      await Promise.all(calls);
      await Promise.all([
        diagnose(configs.samba, "test_user_1", USER_PASSWORD),
        diagnose(configs.names, "many_groups_user", USER_PASSWORD),
        diagnose(configs.dirsrv, "test_user_2"),
        authenticate(configs.samba, "locked_user", USER_PASSWORD),
        searchGroups(configs.names, "kasm"),
        probe(configs.samba),
        probe(configs.dirsrv),
      ]);
      // failures: refused, timeouts (plain, LDAPS, StartTLS), wrong protocol both ways, TLS, auth
      const failures = [
        openldapConfig("groupOfNames", { url: `ldap://127.0.0.1:${closed}`, startTls: false }),
        openldapConfig("groupOfNames", { url: silent.url, startTls: false, ...short }),
        openldapConfig("groupOfNames", { url: silent.url.replace("ldap:", "ldaps:"), startTls: false, ...short }),
        openldapConfig("groupOfNames", { url: silent.url, startTls: true, ...short }),
        openldapConfig("groupOfNames", { url: `ldaps://${plain.host}:${plain.port}`, startTls: false }),
        openldapConfig("groupOfNames", { url: `ldap://${secure.host}:${secure.port}`, startTls: false }),
        openldapConfig("groupOfNames", { url: `ldaps://localhost:${secure.port}`, startTls: false }),
        sambaDocConfig({ caCertificate: undefined }),
        sambaDocConfig({ url: samba().urls.ldap }),
        sambaDocConfig({ serviceAccountPassword: "Wrong-Service-Password" }),
        openldapConfig("groupOfNames", { url: silent.url, failoverUrls: [ol.urls.ldap], ...short }),
      ];
      const outcomes = await Promise.all(
        failures.flatMap((config) => [
          authenticate(config, "test_user_1", USER_PASSWORD),
          diagnose(config, "test_user_1", USER_PASSWORD),
        ]),
      );
      const codes = outcomes.map((outcome) =>
        "steps" in outcome ? outcome.error?.code : outcome.ok ? undefined : outcome.error.code,
      );
      expect(new Set(codes)).toEqual(
        new Set([
          "connection_refused",
          "timeout",
          "tls_handshake_failed",
          "connection_reset",
          "certificate_hostname_mismatch",
          "certificate_untrusted",
          "strong_auth_required",
          "service_bind_failed",
          undefined,
        ]),
      );
      expect(silent.connections).toBeGreaterThan(0);

      // the counter is not blind: pooled connections are open right now
      const during = openSockets();
      expect(during.tcp).toBeGreaterThan(before.tcp);

      await closeAllPools();
      // Every client socket, the timed-out ones included, is closed by the engine (the silent
      // listener, still running, sees its side closed too); only our own listener's sockets may remain.
      await eventually(() => silent.active === 0 && openSockets().tcp === before.tcp);
      expect(silent.active).toBe(0);
      const after = openSockets();
      expect(after.tcp).toBe(before.tcp);
      expect(after.tls).toBe(before.tls);
      expect(after.connecting).toBe(0);
    } finally {
      await silent.close();
    }
    await settle();
    expect(openSockets()).toEqual(before);
  });
});
