import "server-only";
/**
 * The directory engine's public entry: the only module the rest of the product imports from
 * lib/ldap for network work. Pure helpers (filter, dn, url, login, errors, config) may be
 * imported directly by forms.
 */
import { runLogin, type AuthenticatedUser } from "./authenticate";
import type { LdapConfig } from "./config";
import type { LdapError, Result } from "./errors";
import type { TraceStep } from "./trace";
import type { UserBindOptions } from "./user-bind";

export type AuthenticateOptions = UserBindOptions;

export type { AuthenticatedUser, LdapUser } from "./authenticate";
export type { LdapConfig } from "./config";
export { CONFIG_DEFAULTS, configProblems } from "./config";
export type { LdapError, LdapErrorCode, Result } from "./errors";
export { LDAP_ERRORS, isConnectionError } from "./errors";
export type { GroupResolution } from "./groups";
export type { TraceStep } from "./trace";
export { probe, searchGroups, type GroupMatch } from "./directory";
export type { ProbeResult, PresetId, Vendor } from "./probe";
export { closeAllPools } from "./pool";
export { clearNestingCache } from "./nesting-cache";

/**
 * Verifies a login and returns the user and all their group DNs. Uses pooled service connections.
 * `options.beforeUserBind` runs once the user was found and before their bind; false refuses the
 * attempt with `attempt_refused`, nothing sent as the user.
 */
export async function authenticate(config: LdapConfig, login: string, password: string, options: AuthenticateOptions = {}): Promise<Result<AuthenticatedUser>> {
  const { result } = await runLogin(config, login, password, { diagnose: false, beforeUserBind: options.beforeUserBind });
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
