/**
 * Where to go after signing in: a path on this site, or "/". An open redirect after sign-in is
 * a phishing aid, and browsers resolve more than "//evil.example" off-site: "/\evil.example",
 * "/\t/evil.example" (tabs and newlines are dropped), "/.//evil.example" (dot segments leave
 * "//"), and "%2F%2Fevil.example" once something decodes it. So the value and every
 * percent-decoding of it must resolve on this origin, contain no backslash or control
 * character, and leave a path that does not start with two slashes.
 */

/** Decoding rounds looked at: a value still changing after this many is no honest link. */
const MAX_DECODINGS = 3;
const MAX_LENGTH = 2048;
const PLACEHOLDER_ORIGIN = "http://portal.invalid";
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\\u2028\u2029]/;

/**
 * One round of percent-decoding, of ASCII escapes only: the characters that can move a URL to
 * another host are all ASCII, and unlike decodeURIComponent this never throws (a "%" left over
 * from "%25" is not an error).
 */
function decodeAscii(text: string): string {
  return text.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * `value` (a path such as "/admin?tab=x", or an absolute URL) as a same-site path with query and
 * fragment, or "/" when it or any decoding of it leads anywhere else. `origin` is the portal's
 * public origin; without it only paths are accepted.
 */
export function sameSitePath(value: unknown, origin: string = PLACEHOLDER_ORIGIN): string {
  if (typeof value !== "string" || value === "" || value.length > MAX_LENGTH) return "/";
  let base: URL;
  try {
    base = new URL(origin);
  } catch {
    return "/";
  }
  // A path or an absolute URL; "admin" or "?x=1" would resolve against the sign-in page.
  if (!value.startsWith("/") && !URL.canParse(value)) return "/";
  const path = onSitePath(value, base);
  if (path === null) return "/";
  let layer = value;
  for (let round = 0; ; round += 1) {
    const decoded = decodeAscii(layer);
    if (decoded === layer) return path;
    if (round === MAX_DECODINGS || onSitePath(decoded, base) === null) return "/";
    layer = decoded;
  }
}

/** The path, query and fragment `text` resolves to when that is on `base`'s origin, else null. */
function onSitePath(text: string, base: URL): string | null {
  if (FORBIDDEN.test(text) || text.trim() !== text) return null;
  let resolved: URL;
  try {
    resolved = new URL(text, base);
  } catch {
    return null;
  }
  if (resolved.origin !== base.origin) return null;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return path.startsWith("/") && !path.startsWith("//") ? path : null;
}
