import "server-only";
import { recordLdapLogin } from "@/lib/db/ldap-sync";
import { signInSettings, type SignInConfig, type SignInSettings } from "@/lib/db/sign-in-settings";
import { authenticate, isConnectionError, type AuthenticatedUser, type LdapError, type LdapUser } from "@/lib/ldap";
import { normalizeDn } from "@/lib/ldap/dn";
import { claimsDomain } from "@/lib/ldap/domains";
import type { ParsedLogin } from "@/lib/ldap/login";
import { SecretDecryptionError } from "@/lib/crypto";
import type { SignInContext } from "./login";
import type { SignInAudit } from "./sign-in-audit";
import type { SignInAttempt, SignInResult } from "./sign-in-types";
import { signInMessageFor, SIGN_IN_MESSAGES, throttledMessage, type SignInSituation } from "./sign-in-messages";
import { throttleKeys, type CountedAttempt } from "./throttle";

/** The situation a refused app-account step puts the person in. */
const SYNC_FAILURES: Record<"auto_create_disabled" | "user_disabled" | "username_taken", SignInSituation> = {
  auto_create_disabled: "auto_create_disabled",
  user_disabled: "account_disabled",
  username_taken: "not_available",
};

export type LdapSignIn =
  | { outcome: "signed_in" | "refused"; result: SignInResult }
  /** No enabled configuration claims the login's domain. */
  | { outcome: "no_configuration" }
  /** Every configuration for the domain answered, and none knows the user. */
  | { outcome: "not_found"; configurations: string[] };

/** One budget per directory entry, however the login was typed (case, alias domain, Unicode). */
function accountKey(configId: string, user: LdapUser): string {
  const dn = normalizeDn(user.dn);
  return throttleKeys.directoryAccount(configId, user.directoryId ?? `dn:${dn.ok ? dn.value : user.dn.toLowerCase()}`);
}

function refused(message: string, extra: { unavailable?: true; throttled?: true } = {}): LdapSignIn {
  return { outcome: "refused", result: { ok: false, message, ...extra } };
}

/** What one configuration made of the login: a decision, or "ask the next one" (maybe: it was down). */
type ConfigurationAnswer = { decided: LdapSignIn } | { next: true; unavailable?: LdapError };

type RecordFailure = (details: Record<string, unknown>) => Promise<void>;

/**
 * Tries the configurations for the login's domain in order; the first that finds the user
 * decides. The account's brake is consulted once the entry is known and before its one bind.
 */
export async function signInWithLdap(
  attempt: SignInAttempt,
  login: ParsedLogin,
  context: SignInContext,
): Promise<LdapSignIn> {
  const settings = await signInSettings(context.settingsVersion);
  // The enabled configurations that answer for the login's domain, in display order.
  const configs = settings.configs.filter((config) => claimsDomain(config.row, login.domain));
  if (configs.length === 0) return { outcome: "no_configuration" };
  let unavailable: LdapError | undefined;
  for (const config of configs) {
    const answer = await signInWith(config, settings, attempt, login, context);
    if ("decided" in answer) return answer.decided;
    unavailable = answer.unavailable ?? unavailable;
  }
  if (unavailable) return refused(signInMessageFor(unavailable.code), { unavailable: true });
  return { outcome: "not_found", configurations: configs.map((config) => config.row.name) };
}

async function signInWith(
  config: SignInConfig,
  settings: SignInSettings,
  attempt: SignInAttempt,
  login: ParsedLogin,
  { audit, brakes }: SignInContext,
): Promise<ConfigurationAnswer> {
  const stored = config.row;
  const failure: RecordFailure = (details) => audit.failure({ source: "ldap", configuration: stored.name, ...details });
  let engineConfig;
  try {
    engineConfig = config.engineConfig();
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    await failure({ reason: "secret_unreadable" });
    return { next: true };
  }
  let counted: CountedAttempt | undefined;
  let waitSeconds = 0;
  try {
    const result = await authenticate(engineConfig, login.login, attempt.password, {
      beforeUserBind: async (user) => {
        const admission = await brakes.admit("account", accountKey(stored.id, user));
        if (!admission.ok) waitSeconds = admission.waitSeconds;
        else counted = admission.attempt;
        return admission.ok;
      },
    });
    if (!result.ok) return await directoryRefusal(result.error, counted, waitSeconds, failure);
    return { decided: await admitDirectoryUser(stored, settings, login, result.value, counted, { audit, failure }) };
  } finally {
    // Whatever failed on the way, the attempt stops counting as running.
    await counted?.finish("abandoned");
  }
}

/** The directory said no, was not reached, or did not know the user. */
async function directoryRefusal(
  error: LdapError,
  counted: CountedAttempt | undefined,
  waitSeconds: number,
  failure: RecordFailure,
): Promise<ConfigurationAnswer> {
  if (error.code === "user_not_found" || error.code === "ad_user_not_found") return { next: true };
  if (error.code === "attempt_refused") {
    await failure({ reason: "throttled", scope: "account", waitSeconds });
    return { decided: refused(throttledMessage(waitSeconds), { throttled: true }) };
  }
  // An unreachable directory judged nothing: no guess to count against the account.
  await counted?.finish(isConnectionError(error) ? "abandoned" : "failure");
  if (isConnectionError(error)) {
    await failure({ reason: error.code, message: error.message, detail: error.detail ?? null, step: error.step });
    return { next: true, unavailable: error };
  }
  await failure({
    reason: error.code,
    message: error.message,
    detail: error.detail ?? null,
    serverDiagnostic: error.serverDiagnostic ?? null,
    step: error.step,
  });
  return { decided: refused(signInMessageFor(error.code)) };
}

/** The directory accepted the password: the app account and its LDAP groups follow the entry. */
async function admitDirectoryUser(
  stored: SignInConfig["row"],
  settings: SignInSettings,
  login: ParsedLogin,
  { user, groups, groupResolution }: AuthenticatedUser,
  counted: CountedAttempt | undefined,
  { audit, failure }: { audit: SignInAudit; failure: RecordFailure },
): Promise<LdapSignIn> {
  if (!user.directoryId) {
    await counted?.finish("failure");
    await failure({ reason: "no_directory_id", dn: user.dn });
    return refused(SIGN_IN_MESSAGES.not_available);
  }
  const synced = await recordLdapLogin(
    {
      configId: stored.id,
      autoCreate: stored.autoCreateAppUser,
      directoryId: user.directoryId,
      dn: user.dn,
      username: login.login,
      email: user.email,
      displayName: user.displayName,
      groupDns: groups,
      groupsComplete: groupResolution.complete,
    },
    settings,
  );
  if (!synced.ok) {
    await counted?.finish("failure");
    await failure({ reason: synced.reason, dn: user.dn });
    return refused(SIGN_IN_MESSAGES[SYNC_FAILURES[synced.reason]]);
  }
  await counted?.finish("success");
  await audit.success({
    source: "ldap",
    configuration: stored.name,
    dn: user.dn,
    created: synced.created,
    groupsAdded: synced.added,
    groupsRemoved: synced.removed,
    ...(groupResolution.complete
      ? {}
      : {
          groups: "partial",
          incompleteReason: groupResolution.incompleteReason ?? null,
          groupsKeptUnconfirmed: synced.keptUnconfirmed,
        }),
  });
  const { claims } = synced;
  return {
    outcome: "signed_in",
    result: { ok: true, user: { id: synced.userId, username: login.login, email: user.email ?? null, ...claims } },
  };
}
