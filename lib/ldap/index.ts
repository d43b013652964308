import "server-only";
/**
 * The directory engine's public entry: the only module the rest of the product imports from
 * lib/ldap for network work (the engine itself lives in lib/ldap/engine, server-only). Pure
 * helpers (filter, dn, url, login, domains, presets, errors, oids, config) may be imported
 * directly, by forms too.
 */
import { runLogin, type AuthenticatedUser } from "./engine/authenticate";
import type { TraceStep } from "./engine/trace";
import type { UserBindOptions } from "./engine/user-bind";
import type { LdapConfig } from "./config";
import type { LdapError, Result } from "./errors";

export type AuthenticateOptions = UserBindOptions;

export type { AuthenticatedUser, LdapUser } from "./engine/authenticate";
export type { LdapConfig } from "./config";
export { CONFIG_DEFAULTS, configProblems } from "./config";
export type { LdapError, LdapErrorCode, Result } from "./errors";
export { LDAP_ERRORS, isConnectionError } from "./errors";
export type { GroupResolution, GroupStrategy } from "./engine/groups";
export type { StepDetails, TraceStep } from "./engine/trace";
export { probe, searchGroups, type GroupMatch } from "./engine/directory";
export { lookUpAccounts, type AccountLookUp, type DirectoryAccount } from "./engine/account-lookup";
export type { ProbeResult } from "./engine/probe";
export type { PresetId, Vendor } from "./presets";
export { closeAllPools, forgetConfiguration } from "./engine/registry";
/** Forgets every configuration's nesting cache (the tests); saving a configuration calls forgetConfiguration. */
export { clearNestingCache } from "./engine/nesting-cache";
export { pemProblem } from "./engine/tls";

/**
 * Verifies a login and returns the user and all their group DNs. Uses pooled service connections.
 * `options.beforeUserBind` runs once the user was found and before their bind; false refuses the
 * attempt with `attempt_refused`, nothing sent as the user.
 */
export async function authenticate(
  config: LdapConfig,
  login: string,
  password: string,
  options: AuthenticateOptions = {},
): Promise<Result<AuthenticatedUser>> {
  const { result } = await runLogin(config, login, password, {
    diagnose: false,
    beforeUserBind: options.beforeUserBind,
  });
  return result;
}

export interface Diagnosis {
  ok: boolean;
  error: LdapError | null;
  user: AuthenticatedUser["user"] | null;
  groups: string[];
  directGroups: string[];
  steps: TraceStep[];
  /** True when run without a password (nothing was bound as the user). */
  lookupOnly: boolean;
}

/** The full step-by-step trace of a login for administrators; without a password, look-up mode. */
export async function diagnose(config: LdapConfig, login: string, password?: string): Promise<Diagnosis> {
  const { result, trace } = await runLogin(config, login, password, { diagnose: true });
  return {
    ok: result.ok,
    error: result.ok ? null : result.error,
    user: result.ok ? result.value.user : null,
    groups: result.ok ? result.value.groups : [],
    directGroups: result.ok ? result.value.groupResolution.direct : [],
    steps: trace.steps,
    lookupOnly: password === undefined,
  };
}
