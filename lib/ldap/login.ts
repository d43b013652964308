// The login as typed on the sign-in form: `user` or `user@domain`. Pure, so the client form and
// the server share one check; the domain selects the LDAP configuration (see dn.ts domainFromDn).

/** Longest whole login (an e-mail address's limit). */
export const LOGIN_MAX_LENGTH = 320;
/** Longest part before the `@`. */
export const LOGIN_USER_MAX_LENGTH = 256;

export type LoginErrorCode =
  "empty_user" | "double_at" | "whitespace" | "control_characters" | "too_long" | "empty_domain";

export const LOGIN_ERROR_MESSAGES: Record<LoginErrorCode, string> = {
  empty_user: "Enter a username",
  double_at: "A username contains at most one @",
  whitespace: "A username cannot contain spaces",
  control_characters: "A username cannot contain control characters",
  too_long: `A username is at most ${LOGIN_USER_MAX_LENGTH} characters (${LOGIN_MAX_LENGTH} with the domain)`,
  empty_domain: "Enter the domain after @",
};

export interface ParsedLogin {
  /** The whole login, trimmed and lower-cased: `test_user_1@kasm.core`. */
  login: string;
  /** The part before `@`. */
  user: string;
  /** The part after `@`, when there is one. */
  domain?: string;
}
export interface LoginError {
  code: LoginErrorCode;
  message: string;
  position?: number;
}
export type LoginResult = { ok: true; value: ParsedLogin } | { ok: false; error: LoginError };

const fail = (code: LoginErrorCode, position?: number): LoginResult => ({
  ok: false,
  error:
    position === undefined
      ? { code, message: LOGIN_ERROR_MESSAGES[code] }
      : { code, message: LOGIN_ERROR_MESSAGES[code], position },
});

// C0 (incl. NUL), DEL and C1: never part of a directory name, and NUL truncates in C code.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether `text` holds a C0 control (NUL included), DEL or a C1 control. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * Parses a login. Surrounding whitespace is dropped; lower-casing uses toLowerCase (locale-
 * independent, unlike toLocaleLowerCase). Positions are 0-based offsets into `raw`.
 */
export function parseLogin(raw: string): LoginResult {
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  const control = text.search(CONTROL);
  if (control >= 0) return fail("control_characters", lead + control);
  if (text === "") return fail("empty_user");
  const space = text.search(/\s/);
  if (space >= 0) return fail("whitespace", lead + space);
  const at = text.indexOf("@");
  const secondAt = at < 0 ? -1 : text.indexOf("@", at + 1);
  if (secondAt >= 0) return fail("double_at", lead + secondAt);

  const login = text.toLowerCase();
  const user = at < 0 ? login : login.slice(0, login.indexOf("@"));
  const domain = at < 0 ? undefined : login.slice(login.indexOf("@") + 1);
  if (user === "") return fail("empty_user");
  if (domain === "") return fail("empty_domain");
  // Counted in code points, as a user would count characters.
  if ([...user].length > LOGIN_USER_MAX_LENGTH || [...login].length > LOGIN_MAX_LENGTH) return fail("too_long");
  return { ok: true, value: domain === undefined ? { login, user } : { login, user, domain } };
}
