import "server-only";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { admit, throttleKeys } from "@/lib/auth/throttle";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import {
  addFactor,
  passkeysOf,
  recordPasskeyUse,
  spendRecoveryCode,
  spendTotpStep,
  totpFactorsOf,
} from "@/lib/db/second-factors";
import { newRecoveryCodes, recoveryCodeHash } from "./recovery-codes";
import { checkTotp } from "./totp";
import { authenticationOptions, registrationOptions, verifyAuthentication, verifyRegistration } from "./webauthn";

/**
 * The second factors of one app user: checking a code or a passkey at the second step, and
 * enrolling a new factor (at sign-in or from the Profile). Codes are throttled like passwords,
 * on a budget of their own; nothing about a factor is ever logged.
 */

export const SECOND_FACTOR_MESSAGES = {
  wrong_code: "That code is not right. Enter the current code from your app, or a recovery code.",
  replayed_code: "That code was used already. Wait for the next one in your app.",
  passkey_failed: "The passkey could not be verified. Try again, or use another factor.",
  expired: "Your sign-in took too long. Sign in again.",
  enrol_code: "That code does not match the key. Check the app's clock and enter the current code.",
} as const;

export type Throttled = { ok: false; message: string; throttled: true };

function throttledMessage(seconds: number) {
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return `Too many wrong codes. Try again in ${wait}.`;
}

export type CodeCheck =
  | { ok: true; factor: "totp" | "recovery_code" }
  | { ok: false; reason: "wrong_code" | "replayed_code" | "throttled"; message: string; throttled?: true };

/** A code typed at the second step: the current code of one of the user's apps, or an unused recovery code. */
export async function checkSecondFactorCode(userId: string, code: string): Promise<CodeCheck> {
  const admission = await admit("account", throttleKeys.secondFactor(userId));
  if (!admission.ok)
    return { ok: false, reason: "throttled", message: throttledMessage(admission.waitSeconds), throttled: true };
  let outcome: "success" | "failure" = "failure";
  try {
    let replayed = false;
    for (const factor of await totpFactorsOf(userId)) {
      if (!factor.secret) continue;
      const check = checkTotp(decryptSecret(factor.secret), code, factor.lastStep);
      // The step is spent in the same statement that checks it was not: two requests with one code, one wins.
      if (check.ok && (await spendTotpStep(factor.id, check.step))) {
        outcome = "success";
        return { ok: true, factor: "totp" };
      }
      if (!check.ok && check.reason === "replayed") replayed = true;
      if (check.ok) replayed = true;
    }
    if (/[a-z]/i.test(code) && (await spendRecoveryCode(userId, recoveryCodeHash(code)))) {
      outcome = "success";
      return { ok: true, factor: "recovery_code" };
    }
    const reason = replayed ? "replayed_code" : "wrong_code";
    return { ok: false, reason, message: SECOND_FACTOR_MESSAGES[reason] };
  } finally {
    await admission.attempt.finish(outcome);
  }
}

export async function passkeySignInOptions(userId: string) {
  return authenticationOptions(await passkeysOf(userId));
}

/** A passkey's answer at the second step; a failure counts like a wrong code. */
export async function checkPasskey(
  userId: string,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
): Promise<{ ok: true } | { ok: false; message: string; throttled?: true }> {
  const admission = await admit("account", throttleKeys.secondFactor(userId));
  if (!admission.ok) return { ok: false, message: throttledMessage(admission.waitSeconds), throttled: true };
  const verified = await verifyAuthentication(response, expectedChallenge, await passkeysOf(userId));
  if (!verified) {
    await admission.attempt.finish("failure");
    return { ok: false, message: SECOND_FACTOR_MESSAGES.passkey_failed };
  }
  await recordPasskeyUse(verified.factorId, verified.counter);
  await admission.attempt.finish("success");
  return { ok: true };
}

/** What enrolling a factor hands back: the user's first factor comes with ten recovery codes, shown once. */
export type Enrolled = { ok: true; recoveryCodes?: string[] } | { ok: false; message: string };

function firstFactorCodes(isFirst: boolean) {
  if (!isFirst) return {};
  const recoveryCodes = newRecoveryCodes();
  return { recoveryCodes, hashes: recoveryCodes.map(recoveryCodeHash) };
}

/** Confirms an app with its first code; `secret` is the key offered (base32). */
export async function enrolTotp(
  userId: string,
  secret: string,
  code: string,
  name: string,
  isFirst: boolean,
): Promise<Enrolled> {
  const check = checkTotp(secret, code, null);
  if (!check.ok) return { ok: false, message: SECOND_FACTOR_MESSAGES.enrol_code };
  const { recoveryCodes, hashes } = firstFactorCodes(isFirst);
  await addFactor(userId, { kind: "totp", name, secret: encryptSecret(secret), lastStep: check.step }, hashes);
  return { ok: true, recoveryCodes };
}

export async function passkeyRegistrationOptions(user: { id: string; username: string }) {
  return registrationOptions(user, await passkeysOf(user.id));
}

export async function enrolPasskey(
  userId: string,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
  name: string,
  isFirst: boolean,
): Promise<Enrolled> {
  const passkey = await verifyRegistration(response, expectedChallenge);
  if (!passkey) return { ok: false, message: "The passkey could not be registered. Try again." };
  const { recoveryCodes, hashes } = firstFactorCodes(isFirst);
  await addFactor(userId, { kind: "passkey", name, ...passkey }, hashes);
  return { ok: true, recoveryCodes };
}
