import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * NextAuth's CSRF double-submit cookie (next-auth/core/lib/csrf-token.js: "token|sha256(token +
 * secret)"), issued with the login page by proxy.ts, so the form posts its credentials at once
 * instead of fetching /api/auth/csrf first. NextAuth itself checks it, exactly as for a token it
 * issued; the form fetches a new one only when the cookie went missing meanwhile.
 */

/** The request header proxy.ts hands the login page its token in (any copy a client sent is replaced). */
export const LOGIN_CSRF_HEADER = "x-portal-login-csrf";

/** NextAuth's cookie: "__Host-" prefixed and Secure when the public URL is https, as NextAuth names it. */
export function loginCsrfCookie(): { name: string; secure: boolean } {
  const secure = (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
  return { name: `${secure ? "__Host-" : ""}next-auth.csrf-token`, secure };
}

const hashOf = (token: string) => createHash("sha256").update(`${token}${env().sessionSecret}`).digest("hex");

/** The token of a valid cookie, or a new token with the cookie value to set. */
export function loginCsrfToken(cookieValue: string | undefined): { token: string; newCookieValue?: string } {
  const [token, hash] = (cookieValue ?? "").split("|");
  if (token && hash && hash === hashOf(token)) return { token };
  const fresh = randomBytes(32).toString("hex");
  return { token: fresh, newCookieValue: `${fresh}|${hashOf(fresh)}` };
}
