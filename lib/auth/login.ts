import "server-only";
import { recordAudit } from "@/lib/db/audit";
import { findUserByUsername, sessionClaims, touchLastLogin } from "@/lib/db/users";
import { parseLogin } from "@/lib/ldap/login";
import { signInWithLdap } from "./ldap-login";
import { decoyPasswordHash, verifyPassword } from "./password";
import { INVALID_CREDENTIALS_MESSAGE, type SignInAttempt, type SignInResult } from "./sign-in-types";
import { admitAttempt, recordLoginSuccess, throttleMessage } from "./throttle";

async function signInLocally(attempt: SignInAttempt, username: string): Promise<SignInResult | undefined> {
  const user = await findUserByUsername(username);
  if (!user || user.source !== "local" || !user.passwordHash) return undefined;
  const passwordMatches = await verifyPassword(attempt.password, user.passwordHash);
  const audit = (outcome: "success" | "failure", reason?: string) =>
    recordAudit({ actor: username, action: "login", target: username, outcome, details: { source: "local", clientAddress: attempt.clientAddress, ...(reason ? { reason } : {}) } });
  if (!passwordMatches) {
    await audit("failure", "invalid_credentials");
    return { ok: false, message: INVALID_CREDENTIALS_MESSAGE };
  }
  if (user.disabled) {
    await audit("failure", "user_disabled");
    return { ok: false, message: "This account is disabled. Contact your administrator." };
  }
  await touchLastLogin(user.id);
  await audit("success");
  return { ok: true, user: { id: user.id, username: user.username, email: user.email, ...(await sessionClaims(user.id)) } };
}

/**
 * Routes a login: a local account is verified here; otherwise the LDAP configurations for the
 * login's domain decide. Throttled per username and client address.
 */
export async function signInWithPassword(attempt: SignInAttempt): Promise<SignInResult> {
  const parsed = parseLogin(attempt.username);
  if (!parsed.ok) return { ok: false, message: INVALID_CREDENTIALS_MESSAGE };
  const username = parsed.value.login;

  const wait = await admitAttempt(username, attempt.clientAddress);
  if (wait > 0) {
    await recordAudit({ actor: username, action: "login", target: username, outcome: "failure", details: { reason: "throttled", waitSeconds: wait, clientAddress: attempt.clientAddress } });
    return { ok: false, message: throttleMessage(wait) };
  }

  const result = (await signInLocally(attempt, username)) ?? (await signInWithLdap(attempt, parsed.value)) ?? (await unknownUser(attempt, username));
  // A failure stays counted (admitAttempt counted it up front); a success is taken back.
  if (result.ok) await recordLoginSuccess(username, attempt.clientAddress);
  return result;
}

async function unknownUser(attempt: SignInAttempt, username: string): Promise<SignInResult> {
  // Same cost as a real check, so timing does not reveal which accounts exist.
  await verifyPassword(attempt.password, await decoyPasswordHash());
  await recordAudit({ actor: username, action: "login", target: username, outcome: "failure", details: { reason: "unknown_user", clientAddress: attempt.clientAddress } });
  return { ok: false, message: INVALID_CREDENTIALS_MESSAGE };
}
