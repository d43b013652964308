import { NextResponse, type NextRequest } from "next/server";

/**
 * Convenience only: send visitors without a session cookie to /login before rendering.
 * Security lives in requireUser/requireAdmin, called by every page and server action.
 */
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/admin/:path*", "/profile/:path*"] };
