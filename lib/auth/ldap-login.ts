import "server-only";
import { recordAudit } from "@/lib/db/audit";
import { listEnabledLdapConfigs, storedServicePassword, toEngineConfig } from "@/lib/db/ldap-configs";
import { recordLdapLogin } from "@/lib/db/ldap-sync";
import { sessionClaims } from "@/lib/db/users";
import { authenticate, isConnectionError, userMessageFor, type LdapError } from "@/lib/ldap";
import { claimsDomain } from "@/lib/ldap/domains";
import type { ParsedLogin } from "@/lib/ldap/login";
import { SecretDecryptionError } from "@/lib/crypto";
import { INVALID_CREDENTIALS_MESSAGE, type SignInAttempt, type SignInResult } from "./sign-in-types";

/** The enabled configurations that answer for a login's domain, in display order. */
export async function configsForDomain(domain: string | undefined) {
  const configs = await listEnabledLdapConfigs();
  return configs.filter((config) => claimsDomain(config, domain));
}

const SYNC_FAILURES = {
  auto_create_disabled: "Your directory account is valid, but no app account exists for it and automatic creation is off. Contact your administrator.",
  user_disabled: "This account is disabled. Contact your administrator.",
  username_taken: "Sign-in is not available right now. Contact your administrator.",
} as const;

/**
 * Tries the configurations for the login's domain in order; the first that finds the user
 * decides. Returns undefined when no configuration claims the domain.
 */
export async function signInWithLdap(attempt: SignInAttempt, login: ParsedLogin): Promise<SignInResult | undefined> {
  const configs = await configsForDomain(login.domain);
  if (configs.length === 0) return undefined;
  const audit = (outcome: "success" | "failure", details: Record<string, unknown>) =>
    recordAudit({ actor: login.login, action: "login", target: login.login, outcome, details: { source: "ldap", clientAddress: attempt.clientAddress, ...details } });

  let unavailable: LdapError | undefined;
  for (const stored of configs) {
    let engineConfig;
    try {
      engineConfig = toEngineConfig(stored, await storedServicePassword(stored.id));
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      await audit("failure", { configuration: stored.name, reason: "secret_unreadable" });
      continue;
    }
    const result = await authenticate(engineConfig, login.login, attempt.password);
    if (!result.ok) {
      const { error } = result;
      if (error.code === "user_not_found" || error.code === "ad_user_not_found") continue;
      if (isConnectionError(error)) {
        unavailable = error;
        await audit("failure", { configuration: stored.name, reason: error.code, message: error.message, detail: error.detail ?? null, step: error.step });
        continue;
      }
      await audit("failure", { configuration: stored.name, reason: error.code, message: error.message, detail: error.detail ?? null, serverDiagnostic: error.serverDiagnostic ?? null, step: error.step });
      return { ok: false, message: userMessageFor(error.code) };
    }

    const { user, groups } = result.value;
    if (!user.directoryId) {
      await audit("failure", { configuration: stored.name, reason: "no_directory_id", dn: user.dn });
      return { ok: false, message: "Sign-in is not available right now. Contact your administrator." };
    }
    const synced = await recordLdapLogin({
      configId: stored.id,
      autoCreate: stored.autoCreateAppUser,
      directoryId: user.directoryId,
      dn: user.dn,
      username: login.login,
      email: user.email,
      displayName: user.displayName,
      groupDns: groups,
    });
    if (!synced.ok) {
      await audit("failure", { configuration: stored.name, reason: synced.reason, dn: user.dn });
      return { ok: false, message: SYNC_FAILURES[synced.reason] };
    }
    await audit("success", { configuration: stored.name, dn: user.dn, created: synced.created, groupsAdded: synced.added, groupsRemoved: synced.removed });
    const claims = await sessionClaims(synced.userId);
    return { ok: true, user: { id: synced.userId, username: login.login, email: user.email ?? null, ...claims } };
  }

  if (unavailable) return { ok: false, message: userMessageFor(unavailable.code) };
  await audit("failure", { reason: "user_not_found", configurations: configs.map((config) => config.name) });
  return { ok: false, message: INVALID_CREDENTIALS_MESSAGE };
}
