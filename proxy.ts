import { NextResponse, type NextRequest } from "next/server";
import { LOGIN_CSRF_HEADER, loginCsrfCookie, loginCsrfToken } from "@/lib/auth/login-csrf";
import { SESSION_COOKIES } from "@/lib/auth/session-cookie";

/** The login page gets NextAuth's CSRF token with it (lib/auth/login-csrf.ts). */
function withLoginCsrf(request: NextRequest) {
  const cookie = loginCsrfCookie();
  const { token, newCookieValue } = loginCsrfToken(request.cookies.get(cookie.name)?.value);
  const headers = new Headers(request.headers);
  headers.set(LOGIN_CSRF_HEADER, token);
  const response = NextResponse.next({ request: { headers } });
  if (newCookieValue)
    response.cookies.set(cookie.name, newCookieValue, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: cookie.secure,
    });
  return response;
}

/**
 * Convenience only: send visitors without a session cookie to /login before rendering.
 * Security lives in requireUser/requireAdmin, called by every page and server action.
 */
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === "/login") return withLoginCsrf(request);
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/login", "/admin/:path*", "/profile/:path*"] };
