import { describe, expect, it } from "vitest";
import { checkTotp, newTotpSecret, spacedSecret, totpCode, totpUri } from "./totp";
import { newRecoveryCodes, recoveryCodeHash, RECOVERY_CODE_COUNT } from "./recovery-codes";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 15);
const STEP = Math.floor(NOW / 30_000);

describe("TOTP", () => {
  const secret = newTotpSecret();

  it("accepts this step's code and its neighbours', and says which step it was", () => {
    expect(checkTotp(secret, totpCode(secret, NOW), null, NOW)).toEqual({ ok: true, step: STEP });
    expect(checkTotp(secret, totpCode(secret, NOW - 30_000), null, NOW)).toEqual({ ok: true, step: STEP - 1 });
    expect(checkTotp(secret, totpCode(secret, NOW + 30_000), null, NOW)).toEqual({ ok: true, step: STEP + 1 });
  });

  it("refuses a code two steps away, a malformed code and another key's code", () => {
    expect(checkTotp(secret, totpCode(secret, NOW - 60_000), null, NOW)).toEqual({ ok: false, reason: "wrong" });
    expect(checkTotp(secret, "12345", null, NOW)).toEqual({ ok: false, reason: "wrong" });
    const other = newTotpSecret();
    const code = totpCode(other, NOW);
    if (code !== totpCode(secret, NOW)) expect(checkTotp(secret, code, null, NOW).ok).toBe(false);
  });

  it("never accepts a step twice, nor one before the last accepted", () => {
    const code = totpCode(secret, NOW);
    expect(checkTotp(secret, code, STEP, NOW)).toEqual({ ok: false, reason: "replayed" });
    expect(checkTotp(secret, totpCode(secret, NOW - 30_000), STEP, NOW)).toEqual({ ok: false, reason: "replayed" });
    expect(checkTotp(secret, totpCode(secret, NOW + 30_000), STEP, NOW)).toEqual({ ok: true, step: STEP + 1 });
  });

  it("gives apps the key as a URI and as spaced text", () => {
    expect(totpUri(secret, "test_user_1@kasm.core")).toMatch(
      new RegExp(`^otpauth://totp/LDAP%20Portal:test_user_1%40kasm\\.core\\?.*secret=${secret}`),
    );
    expect(spacedSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes whose hash ignores case, spaces and dashes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const [first] = codes;
    expect(recoveryCodeHash(first!.toLowerCase().replace(/-/g, " "))).toBe(recoveryCodeHash(first!));
    expect(recoveryCodeHash(codes[1]!)).not.toBe(recoveryCodeHash(first!));
  });
});
