import type { LdapErrorCode } from "@/lib/ldap/errors";

/**
 * Every word a person signing in may read, local and directory users alike: one situation, one
 * message. Short and safe: nothing says whether an account exists. Pure, so tests and the
 * engine's integration tests can check the words an error code leads to.
 */
export type SignInSituation =
  | "invalid_credentials"
  | "password_expired"
  | "password_must_change"
  | "account_locked"
  | "account_disabled"
  | "auto_create_disabled"
  | "attempt_refused"
  | "directory_unavailable"
  | "not_available"
  | "unexpected_error";

export const SIGN_IN_MESSAGES: Record<SignInSituation, string> = {
  invalid_credentials: "Invalid username or password",
  password_expired: "Your password has expired. Change it, then sign in again.",
  password_must_change: "You must change your password before you can sign in.",
  account_locked: "Your account is locked. Try again later or contact your administrator.",
  account_disabled: "This account is disabled. Contact your administrator.",
  auto_create_disabled:
    "Your directory account is valid, but no app account exists for it and automatic creation is off. Contact your administrator.",
  attempt_refused: "Too many attempts for this account. Try again later.",
  directory_unavailable: "The directory is unavailable, please try again later",
  not_available: "Sign-in is not available right now. Contact your administrator.",
  /** A fault of the portal itself (the details go to the server log). */
  unexpected_error: "Sign-in is not available right now. Try again in a moment.",
};

/** The situation each directory error puts the person in; a new error code fails to compile until placed. */
const SITUATION_OF: Record<LdapErrorCode, SignInSituation> = {
  invalid_credentials: "invalid_credentials",
  user_not_found: "invalid_credentials",
  ad_user_not_found: "invalid_credentials",
  user_not_allowed: "invalid_credentials",
  user_ambiguous: "invalid_credentials",
  empty_password: "invalid_credentials",
  invalid_login: "invalid_credentials",
  password_expired: "password_expired",
  password_must_change: "password_must_change",
  account_locked: "account_locked",
  account_disabled: "account_disabled",
  account_expired: "account_disabled",
  logon_hours: "account_disabled",
  workstation_restricted: "account_disabled",
  attempt_refused: "attempt_refused",
  dns_not_found: "directory_unavailable",
  connection_refused: "directory_unavailable",
  timeout: "directory_unavailable",
  tls_handshake_failed: "directory_unavailable",
  connection_reset: "directory_unavailable",
  certificate_untrusted: "directory_unavailable",
  certificate_hostname_mismatch: "directory_unavailable",
  certificate_expired: "directory_unavailable",
  starttls_failed: "directory_unavailable",
  // Misconfiguration: the administrator's to fix, and none of the user's business.
  invalid_config: "not_available",
  invalid_url: "not_available",
  strong_auth_required: "not_available",
  service_bind_failed: "not_available",
  base_not_found: "not_available",
  invalid_filter: "not_available",
  anonymous_search_refused: "not_available",
  insufficient_access: "not_available",
  size_limit_exceeded: "not_available",
  unsupported_extension: "not_available",
  secret_unreadable: "not_available",
  unknown: "not_available",
};

/** What a person reads when the directory refused their sign-in with `code`. */
export function signInMessageFor(code: LdapErrorCode): string {
  return SIGN_IN_MESSAGES[SITUATION_OF[code]];
}

/** The brake's refusal, with the wait in words. */
export function throttledMessage(seconds: number): string {
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : seconds === 1 ? "1 second" : `${seconds} seconds`;
  return `Too many failed sign-in attempts. Try again in ${wait}.`;
}
