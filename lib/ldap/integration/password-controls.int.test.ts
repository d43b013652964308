/**
 * Passwords with control characters never reach a directory. Samba truncates a password at NUL,
 * so "right password + NUL + anything" would sign in; the engine refuses every C0 control, DEL
 * and C1 control before any I/O, as a wrong password (the end user's generic message).
 */
import { afterAll, describe, expect, it } from "vitest";
import { authenticate, closeAllPools, diagnose } from "../index";
import { signInMessageFor } from "../../auth/sign-in-messages";
import {
  USER_PASSWORD,
  dirsrvConfig,
  hostPort,
  openldapConfig,
  sambaDocConfig,
  stepNames,
  stepOf,
} from "./directory-configs";
import { countingProxy } from "./network-faults";

afterAll(closeAllPools);

const CONTROLS = ["\u0000anything", "\u0000", "\u0001", "\u001f", "\u007f", "\u0080", "\u009f", "\n", "\t"];

describe("passwords with control characters", () => {
  it("Samba: the right password followed by NUL and anything is refused as invalid_credentials", async () => {
    const result = await authenticate(sambaDocConfig(), "test_user_1@kasm.core", `${USER_PASSWORD}\u0000anything`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_credentials");
    expect(result.error.step).toBe("user_bind");
    expect(signInMessageFor(result.error.code)).toBe("Invalid username or password");
    // control: the right password alone signs in
    expect((await authenticate(sambaDocConfig(), "test_user_1@kasm.core", USER_PASSWORD)).ok).toBe(true);
  });

  it("are refused on all three servers without opening a connection (counting proxy)", async () => {
    const configs = [sambaDocConfig(), openldapConfig("groupOfNames"), dirsrvConfig()];
    for (const config of configs) {
      const proxy = await countingProxy(hostPort(config.url));
      try {
        // Through the proxy the URL says 127.0.0.1, Samba's certificate 127.0.0.2: no host-name check.
        const proxied = {
          ...config,
          url: proxy.url.replace("ldap://", config.url.startsWith("ldaps:") ? "ldaps://" : "ldap://"),
          verifyCertificate: false,
        };
        for (const control of CONTROLS) {
          for (const password of [`${USER_PASSWORD}${control}`, `${control}${USER_PASSWORD}`]) {
            const result = await authenticate(proxied, "test_user_1@kasm.core", password);
            expect(!result.ok && result.error.code, `${config.url} ${JSON.stringify(password)}`).toBe(
              "invalid_credentials",
            );
          }
        }
        expect(proxy.connections, config.url).toBe(0);
      } finally {
        await closeAllPools();
        await proxy.close();
      }
    }
  });

  it("diagnose: the trace says control characters were refused, and nothing was connected", async () => {
    const d = await diagnose(sambaDocConfig(), "test_user_1@kasm.core", `${USER_PASSWORD}\u0000anything`);
    expect(d.ok).toBe(false);
    expect(d.error?.code).toBe("invalid_credentials");
    expect(stepNames(d)).toEqual(["login", "user_bind"]);
    const bind = stepOf(d, "user_bind");
    expect(bind.ok).toBe(false);
    expect(bind.error?.detail).toMatch(/control characters/);
    expect(JSON.stringify(bind.detail)).toMatch(/control characters/);
    // The password itself never appears in the trace.
    expect(JSON.stringify(d.steps)).not.toContain(USER_PASSWORD);
  });

  it("control: a password with spaces and non-ASCII letters (no controls) still signs in or fails as the directory says", async () => {
    const wrong = await authenticate(openldapConfig("groupOfNames"), "test_user_1", "Wrong Pässwörd ✓");
    expect(!wrong.ok && wrong.error.code).toBe("invalid_credentials");
    expect(!wrong.ok && wrong.error.detail).not.toMatch(/control characters/);
  });
});
