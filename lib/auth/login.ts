import "server-only";
import { recordAudit } from "@/lib/db/audit";
import { findUserByUsername, normalizeUsername, sessionClaims, touchLastLogin, type Role } from "@/lib/db/users";
import { decoyPasswordHash, verifyPassword } from "./password";

export interface SignedInUser {
  id: string;
  username: string;
  email: string | null;
  role: Role;
  groupIds: string[];
}

export type SignInResult = { ok: true; user: SignedInUser } | { ok: false; message: string };

/** The one message for bad credentials, unknown users and refused users: no user enumeration. */
export const INVALID_CREDENTIALS_MESSAGE = "Invalid username or password";

export interface SignInAttempt {
  username: string;
  password: string;
  clientAddress: string;
}

/**
 * Routes a login: a local account is verified here; a login whose domain belongs to an LDAP
 * configuration goes to the LDAP engine (see ldap-login.ts).
 */
export async function signInWithPassword(attempt: SignInAttempt): Promise<SignInResult> {
  const username = normalizeUsername(attempt.username);
  const user = await findUserByUsername(username);

  if (!user || user.source !== "local" || !user.passwordHash) {
    // Same cost as a real check, so timing does not reveal which accounts exist.
    await verifyPassword(attempt.password, await decoyPasswordHash());
    await recordAudit({ actor: username, action: "login", target: username, outcome: "failure", details: { reason: "unknown_user", clientAddress: attempt.clientAddress } });
    return { ok: false, message: INVALID_CREDENTIALS_MESSAGE };
  }

  const passwordMatches = await verifyPassword(attempt.password, user.passwordHash);
  if (!passwordMatches || user.disabled) {
    const reason = passwordMatches ? "user_disabled" : "invalid_credentials";
    await recordAudit({ actor: username, action: "login", target: username, outcome: "failure", details: { reason, clientAddress: attempt.clientAddress } });
    return { ok: false, message: passwordMatches ? "This account is disabled. Contact your administrator." : INVALID_CREDENTIALS_MESSAGE };
  }

  await touchLastLogin(user.id);
  await recordAudit({ actor: username, action: "login", target: username, outcome: "success", details: { source: "local", clientAddress: attempt.clientAddress } });
  const claims = await sessionClaims(user.id);
  return { ok: true, user: { id: user.id, username: user.username, email: user.email, ...claims } };
}
