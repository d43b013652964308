// Sign-in requests carry a username, a password and a CSRF token: a few hundred bytes. Anything
// much larger is refused before NextAuth parses it. Plain JavaScript for the custom server
// (scripts/server.mjs); body-limit.d.mts gives TypeScript callers the types.

/** The largest body accepted on /api/auth/**. */
export const AUTH_BODY_LIMIT = 64 * 1024;

export const PAYLOAD_TOO_LARGE_MESSAGE = "Request body too large: sign-in requests are limited to 64 KB.";

/**
 * Whether a request is bound for the NextAuth route and may carry a body. The path is resolved
 * the way a router might, until nothing changes: dot segments ("/x/../api/auth", "%2e%2e"),
 * percent-encoding ("/api/%61uth") and repeated or back slashes ("/api//auth", "\\api\\auth").
 * A path that does not decode is treated as bound for it too.
 */
export function isLimitedRequest(method, url) {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  let path = (url ?? "").split("?")[0] ?? "";
  for (let round = 0; round < 5; round++) {
    let next;
    try {
      next = decodeURIComponent(new URL(path.replace(/[\\/]+/g, "/"), "http://portal.invalid").pathname);
    } catch {
      return true;
    }
    if (next === path) break;
    path = next;
  }
  const folded = path.toLowerCase();
  return folded === "/api/auth" || folded.startsWith("/api/auth/");
}

/**
 * Whether a declared Content-Length is over the limit (or is not a length at all). Absent means
 * "unknown" (chunked): the body is counted as it arrives.
 */
export function declaredLengthRefused(contentLength, limit = AUTH_BODY_LIMIT) {
  if (contentLength === undefined) return false;
  if (!/^[0-9]+$/.test(contentLength)) return true;
  return Number(contentLength) > limit;
}
