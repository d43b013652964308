/**
 * The closed set of LDAP failures. Each code has one message and one hint for administrators;
 * a missing entry fails to compile. End users see lib/auth/sign-in-messages.ts instead.
 */
export const LDAP_ERRORS = {
  invalid_config: {
    message: "The configuration is incomplete or invalid.",
    hint: "Check the fields named in the detail.",
  },
  invalid_url: {
    message: "The LDAP URL is not valid.",
    hint: "Use ldap://host[:port] or ldaps://host[:port], with no path.",
  },
  invalid_login: {
    message: "The username is not valid.",
    hint: "Use user@domain, without spaces or control characters.",
  },
  empty_password: {
    message: "No password was given.",
    hint: "An empty password would be an anonymous bind, which many servers accept; it is refused before any bind.",
  },
  dns_not_found: {
    message: "The server's host name could not be resolved.",
    hint: "Check the host name in the URL and the portal's DNS settings.",
  },
  connection_refused: {
    message: "The server refused the connection.",
    hint: "Check the host and port in the URL and that the directory service is running.",
  },
  timeout: {
    message: "The directory did not answer in time.",
    hint: "Check network connectivity and firewalls between the portal and the server, or raise the timeout.",
  },
  tls_handshake_failed: {
    message: "The TLS handshake failed (socket SSL wrapping error).",
    hint: "ldaps:// was given but the server does not speak TLS on that port: use ldap:// (with StartTLS) or the LDAPS port, usually 636.",
  },
  connection_reset: {
    message: "The server reset or closed the connection.",
    hint: "Check that the port matches the protocol: ldap:// against an LDAPS port (636) is reset. Also check the server's logs.",
  },
  certificate_untrusted: {
    message: "The server's certificate is not trusted.",
    hint: "Paste the issuing CA in PEM form into CA Certificate, or, for a test only, turn off Verify Certificate.",
  },
  certificate_hostname_mismatch: {
    message: "The server's certificate does not match the host in the URL.",
    hint: "Use the host name (or IP) the certificate was issued for, or reissue the certificate with that name in its Subject Alternative Name.",
  },
  certificate_expired: {
    message: "The server's certificate has expired.",
    hint: "Renew the directory server's certificate.",
  },
  starttls_failed: { message: "The server refused StartTLS.", hint: "Enable TLS on the server, or use ldaps://." },
  strong_auth_required: {
    message: "The server requires an encrypted connection for simple binds.",
    hint: "Use ldaps:// or turn on StartTLS (Active Directory / Samba refuse simple binds over plain LDAP by default).",
  },
  service_bind_failed: {
    message: "The service account could not bind (automatic bind not successful - invalid credentials).",
    hint: "Check the Service Account DN and Service Account Password, and that the account is neither locked nor expired.",
  },
  base_not_found: {
    message: "The Search Base does not exist on the server.",
    hint: "Check the Search Base DN, e.g. DC=kasm,DC=core.",
  },
  invalid_filter: {
    message: "The filter is not valid.",
    hint: "Check the parentheses and escapes of the Search Filter or Group Membership Filter.",
  },
  user_not_found: {
    message: "Unable to locate the user.",
    hint: "Check the Search Base and Search Filter; with an allowed-group clause, the user may not be a member.",
  },
  user_ambiguous: {
    message: "The search matched more than one user.",
    hint: "Make the Search Filter match a unique attribute such as sAMAccountName or uid.",
  },
  user_not_allowed: {
    message: "The user is not a member of the required group.",
    hint: "Add the user (directly or through a nested group) to the required group.",
  },
  invalid_credentials: {
    message: "The user's password is wrong.",
    hint: "Check the password; repeated failures may lock the account.",
  },
  anonymous_search_refused: {
    message: "The server does not allow anonymous searches.",
    hint: "Set a Service Account DN and Service Account Password: the portal searches for users with that account.",
  },
  insufficient_access: {
    message: "The service account may not read what is needed.",
    hint: "Grant the service account read access to users and groups under the Search Base.",
  },
  size_limit_exceeded: {
    message: "The server's size limit was exceeded.",
    hint: "Narrow the Search Base or filter, or raise the server's size limit for the service account.",
  },
  unsupported_extension: {
    message: "The server does not support a control or matching rule the filter needs.",
    hint: "The Active Directory in-chain rule (1.2.840.113556.1.4.1941) works only on AD: use the OpenLDAP or 389 DS preset and the Required Group option.",
  },
  secret_unreadable: {
    message: "The stored service account password cannot be decrypted.",
    hint: "Restore the original encryption key or enter the password again.",
  },
  ad_user_not_found: { message: "Active Directory: no such user (525).", hint: "Check the user exists in the domain." },
  logon_hours: {
    message: "Active Directory: not permitted to log on at this time (530).",
    hint: "Check the account's logon hours.",
  },
  workstation_restricted: {
    message: "Active Directory: not permitted to log on from this workstation (531).",
    hint: "Check the account's userWorkstations restriction.",
  },
  password_expired: {
    message: "Active Directory: the password has expired (532).",
    hint: "The user must change the password.",
  },
  account_disabled: { message: "The account is disabled (533).", hint: "Enable the account in the directory." },
  account_expired: {
    message: "Active Directory: the account has expired (701).",
    hint: "Extend the account's expiry date (accountExpires).",
  },
  password_must_change: {
    message: "Active Directory: the user must change the password at next logon (773).",
    hint: "The user must set a new password first.",
  },
  account_locked: {
    message: "The account is locked out (775).",
    hint: "Unlock the account or wait for the lockout to end.",
  },
  attempt_refused: {
    message: "Too many attempts for this account.",
    hint: "The portal refused the attempt before the user's bind (its sign-in throttle): nothing was sent to the directory as the user. Wait, or see the throttle settings.",
  },
  unknown: { message: "The directory returned an unexpected error.", hint: "See the server diagnostic for details." },
} as const satisfies Record<string, { message: string; hint: string }>;

export type LdapErrorCode = keyof typeof LDAP_ERRORS;

export type LdapStep =
  | "config"
  | "login"
  | "connect"
  | "tls"
  | "service_bind"
  | "user_search"
  | "user_bind"
  | "groups"
  | "required_group"
  | "probe"
  | "group_search"
  | "account_state";

export interface LdapError {
  code: LdapErrorCode;
  message: string;
  hint: string;
  step: LdapStep;
  /** Extra context in our words (which URL, which field, how long). */
  detail?: string;
  /** The server's own text, for administrators only. Never contains a password. */
  serverDiagnostic?: string;
}

export function ldapError(
  code: LdapErrorCode,
  step: LdapStep,
  extra: { detail?: string; serverDiagnostic?: string } = {},
): LdapError {
  return { code, ...LDAP_ERRORS[code], step, ...extra };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: LdapError };

export const CONNECTION_ERROR_CODES: ReadonlySet<LdapErrorCode> = new Set([
  "dns_not_found",
  "connection_refused",
  "timeout",
  "tls_handshake_failed",
  "connection_reset",
  "certificate_untrusted",
  "certificate_hostname_mismatch",
  "certificate_expired",
  "starttls_failed",
]);

/** Only connection-level failures move on to the next failover URL. */
export function isConnectionError(error: LdapError): boolean {
  return CONNECTION_ERROR_CODES.has(error.code);
}

const AD_SUB_CODES: Record<string, LdapErrorCode> = {
  "525": "ad_user_not_found",
  "52e": "invalid_credentials",
  "530": "logon_hours",
  "531": "workstation_restricted",
  "532": "password_expired",
  "533": "account_disabled",
  "701": "account_expired",
  "773": "password_must_change",
  "775": "account_locked",
};

/** Reads "AcceptSecurityContext error, data 52e, v1db1" style sub-codes from AD bind diagnostics. */
export function adSubCode(diagnostic: string): LdapErrorCode | undefined {
  const match = /\bdata ([0-9a-f]{3,4})\b/i.exec(diagnostic);
  return match ? AD_SUB_CODES[match[1]!.toLowerCase()] : undefined;
}

const TLS_UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

const RESULT_CODES: Record<number, LdapErrorCode> = {
  4: "size_limit_exceeded",
  // adminLimitExceeded: OpenLDAP refusing paged results for the account (size.prtotal, size.pr),
  // Active Directory over MaxResultSetSize and similar limits.
  11: "size_limit_exceeded",
  8: "strong_auth_required",
  12: "unsupported_extension",
  13: "strong_auth_required", // confidentialityRequired
  32: "base_not_found",
  49: "invalid_credentials",
  50: "insufficient_access",
  87: "invalid_filter",
};

function stripLdaptsSuffix(message: string): string {
  return message.replace(/\s*Code: 0x[0-9a-f]+$/i, "").trim();
}

/**
 * Classifies anything a directory operation threw: LDAP result codes (with AD sub-codes),
 * Node socket errors, TLS verification errors and timeouts.
 */
export function toLdapError(
  error: unknown,
  step: LdapStep,
  context: { url?: string; timeoutMs?: number; firstExchange?: boolean } = {},
): LdapError {
  const err = error as { code?: unknown; message?: unknown; reason?: unknown } | undefined;
  const message = typeof err?.message === "string" ? err.message : String(error);
  const where = context.url ? ` (${context.url})` : "";

  if (typeof err?.code === "number") {
    const diagnostic = stripLdaptsSuffix(message);
    const resultCode = err.code;
    const sub = resultCode === 49 ? adSubCode(diagnostic) : undefined;
    // Samba answers an unknown user and a wrong password alike (52e); so do the others (49).
    const code =
      sub ??
      RESULT_CODES[resultCode] ??
      (resultCode === 53 && /unauthenticated bind|password/i.test(diagnostic)
        ? "empty_password"
        : resultCode === 53 && /account inactivated/i.test(diagnostic)
          ? "account_disabled"
          : "unknown");
    const detail =
      code === "unknown" ? `LDAP result code ${resultCode}${where}` : context.url ? `at ${context.url}` : undefined;
    return ldapError(code, step, { detail, serverDiagnostic: diagnostic || undefined });
  }

  const errno = typeof err?.code === "string" ? err.code : undefined;
  if (errno === "ENOTFOUND" || errno === "EAI_AGAIN")
    return ldapError("dns_not_found", step, { detail: `host lookup failed${where}`, serverDiagnostic: message });
  if (errno === "ECONNREFUSED")
    return ldapError("connection_refused", step, { detail: `nothing listens${where}`, serverDiagnostic: message });
  if (errno === "ERR_TLS_CERT_ALTNAME_INVALID")
    return ldapError("certificate_hostname_mismatch", step, {
      detail: where.trim() || undefined,
      serverDiagnostic: String(err?.reason ?? message),
    });
  if (errno === "CERT_HAS_EXPIRED")
    return ldapError("certificate_expired", step, { detail: where.trim() || undefined, serverDiagnostic: message });
  if (errno && TLS_UNTRUSTED.has(errno))
    return ldapError("certificate_untrusted", step, { detail: `${errno}${where}`, serverDiagnostic: message });
  if (
    errno === "ERR_SSL_WRONG_VERSION_NUMBER" ||
    errno === "ERR_SSL_PACKET_LENGTH_TOO_LONG" ||
    /wrong version number|packet length too long|unknown protocol|disconnected before secure TLS connection/i.test(
      message,
    )
  ) {
    return ldapError("tls_handshake_failed", step, { detail: where.trim() || undefined, serverDiagnostic: message });
  }
  if (errno === "ETIMEDOUT" || /Connection timeout/.test(message)) {
    return ldapError("timeout", step, {
      detail: `while connecting${where}${context.timeoutMs ? ` (connect timeout ${context.timeoutMs} ms)` : ""}`,
      serverDiagnostic: message,
    });
  }
  if (/Operation timed out/.test(message)) {
    // The first exchange of a new connection is bounded by the connect timeout (a silent listener).
    const limit = context.timeoutMs
      ? ` (${context.firstExchange ? "no answer within the connect timeout" : "operation timeout"} ${context.timeoutMs} ms)`
      : "";
    return ldapError("timeout", step, {
      detail: `while waiting for an answer${where}${limit}`,
      serverDiagnostic: message,
    });
  }
  if (
    errno === "ECONNRESET" ||
    errno === "EPIPE" ||
    /ECONNRESET|EPIPE|socket hang up|Connection closed|disconnected before secure TLS/i.test(message)
  ) {
    return ldapError("connection_reset", step, { detail: where.trim() || undefined, serverDiagnostic: message });
  }
  return ldapError("unknown", step, { detail: where.trim() || undefined, serverDiagnostic: message });
}
