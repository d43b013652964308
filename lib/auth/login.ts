import "server-only";
import { createSessionUnlessSecondStep } from "@/lib/db/sessions";
import { findUserByUsername, sessionClaims, touchLastLogin } from "@/lib/db/users";
import { env } from "@/lib/env";
import { openChallenge } from "@/lib/two-factor/challenge";
import { hasControlCharacters, parseLogin, type ParsedLogin } from "@/lib/ldap/login";
import { signInWithLdap } from "./ldap-login";
import { decoyPasswordHash, verifyPassword } from "./password";
import { signInAudit, type SignInAudit } from "./sign-in-audit";
import { SIGN_IN_MESSAGES, throttledMessage } from "./sign-in-messages";
import type { SignInAttempt, SignInOutcome, SignInRefusal, SignInResult } from "./sign-in-types";
import { signInBrakes, throttleKeys, type SignInBrakes } from "./throttle";

/** Longest client address kept: an IPv6 address with a zone fits; anything longer is not one. */
const CLIENT_ADDRESS_MAX = 64;

const throttled = (waitSeconds: number): SignInRefusal => ({
  ok: false,
  message: throttledMessage(waitSeconds),
  throttled: true,
});

/** What the sign-in's opening statement learned, and where it counts and records. */
export interface SignInContext {
  audit: SignInAudit;
  brakes: SignInBrakes;
  localAccount: boolean;
  settingsVersion: number;
}

async function signInLocally(
  attempt: SignInAttempt,
  login: ParsedLogin,
  context: SignInContext,
): Promise<SignInResult | undefined> {
  if (!context.localAccount) return undefined;
  const { audit, brakes } = context;
  const user = await findUserByUsername(login.login);
  if (!user || user.source !== "local" || !user.passwordHash) return undefined;
  const admission = await brakes.admit("account", throttleKeys.localAccount(user.id));
  if (!admission.ok) {
    await audit.failure({ source: "local", reason: "throttled", scope: "account", waitSeconds: admission.waitSeconds });
    return throttled(admission.waitSeconds);
  }
  try {
    const passwordMatches = await verifyPassword(attempt.password, user.passwordHash);
    if (!passwordMatches || user.disabled) {
      await admission.attempt.finish("failure");
      await audit.failure({ source: "local", reason: passwordMatches ? "user_disabled" : "invalid_credentials" });
      return { ok: false, message: SIGN_IN_MESSAGES[passwordMatches ? "account_disabled" : "invalid_credentials"] };
    }
    await admission.attempt.finish("success");
    await touchLastLogin(user.id);
    await audit.success({ source: "local" });
    return {
      ok: true,
      user: { id: user.id, username: user.username, email: user.email, ...(await sessionClaims(user.id)) },
    };
  } finally {
    await admission.attempt.finish("abandoned");
  }
}

/**
 * A login no account answers to: counted by its text, like an account. Without a directory
 * search to take time, a decoy hash check makes it as slow as a real local check.
 */
async function unknownUser(
  attempt: SignInAttempt,
  login: ParsedLogin,
  { audit, brakes }: SignInContext,
  details: Record<string, unknown>,
): Promise<SignInResult> {
  const admission = await brakes.admit("account", throttleKeys.unknownLogin(login.login));
  if (!admission.ok) {
    await audit.failure({ ...details, reason: "throttled", scope: "account", waitSeconds: admission.waitSeconds });
    return throttled(admission.waitSeconds);
  }
  try {
    if (details.source !== "ldap") await verifyPassword(attempt.password, await decoyPasswordHash());
  } finally {
    await admission.attempt.finish("failure");
  }
  await audit.failure({ reason: "unknown_user", ...details });
  return { ok: false, message: SIGN_IN_MESSAGES.invalid_credentials };
}

async function route(attempt: SignInAttempt, login: ParsedLogin, context: SignInContext): Promise<SignInResult> {
  const { audit } = context;
  // A directory may cut the password at NUL (Samba does): "secret\0anything" would sign in as
  // "secret". No real password contains control characters; local ones are refused alike.
  if (hasControlCharacters(attempt.password)) {
    await audit.failure({ reason: "password_control_characters" });
    return { ok: false, message: SIGN_IN_MESSAGES.invalid_credentials };
  }
  const local = await signInLocally(attempt, login, context);
  if (local) return local;
  const ldap = await signInWithLdap(attempt, login, context);
  if (ldap.outcome === "signed_in" || ldap.outcome === "refused") return ldap.result;
  return unknownUser(
    attempt,
    login,
    context,
    ldap.outcome === "not_found"
      ? { source: "ldap", reason: "user_not_found", configurations: ldap.configurations }
      : {},
  );
}

/**
 * Routes a login: a local account is verified here; otherwise the LDAP configurations for the
 * login's domain decide. Throttled per client address up front and per account once the
 * account is known (see throttle.ts).
 */
export async function signInWithPassword(attempt: SignInAttempt): Promise<SignInOutcome> {
  const parsed = parseLogin(attempt.username);
  if (!parsed.ok) return { ok: false, message: SIGN_IN_MESSAGES.invalid_credentials };
  const login = parsed.value;
  const clientAddress = attempt.clientAddress.slice(0, CLIENT_ADDRESS_MAX);
  const audit = signInAudit(login.login, clientAddress, attempt.requestId);

  const brakes = signInBrakes();
  const atAddress = await brakes.atAddress(clientAddress, login.login);
  if (!atAddress.ok) {
    await audit.failure({ reason: "throttled", scope: "address", waitSeconds: atAddress.waitSeconds });
    return throttled(atAddress.waitSeconds);
  }
  const { localAccount, settingsVersion } = atAddress;
  let result: SignInResult | undefined;
  try {
    result = await route({ ...attempt, clientAddress }, login, { audit, brakes, localAccount, settingsVersion });
    if (!result.ok) return result;
    const sessionId = await createSessionUnlessSecondStep({
      userId: result.user.id,
      clientAddress,
      userAgent: attempt.userAgent ?? "",
      lifetimeSeconds: env().sessionMaxAgeSeconds,
    });
    if (!sessionId)
      return {
        ok: "second_step",
        challengeToken: await openChallenge(result.user.id, clientAddress, attempt.userAgent ?? ""),
      };
    return { ...result, sessionId };
  } finally {
    // A refusal by the account's own brake was no guess at this address.
    await atAddress.attempt.finish(
      result?.ok ? "success" : result?.throttled || result?.unavailable ? "abandoned" : "failure",
    );
    await brakes.settle();
  }
}
