import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { Role } from "@/lib/db/users";
import { env } from "@/lib/env";
import { SESSION_COOKIES } from "./session-cookie";
import { sessionInUse } from "./session-check";

export interface CurrentUser {
  id: string;
  username: string;
  role: Role;
  /** The session row this request came with (server side only: never rendered or returned). */
  sessionId: string;
}

/**
 * The signed-in user, or undefined: once per request (React cache). The cookie only names the
 * user and the session row; whether the session still stands, the account is active and its
 * role are read from the database (session-check.ts), so an ended session, a disabled account
 * or a removal from Administrators counts at the next request on every instance.
 */
export const currentUser = cache(async (): Promise<CurrentUser | undefined> => {
  const jar = await cookies();
  const cookie = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  const token = cookie ? await decode({ token: cookie, secret: env().sessionSecret }).catch(() => null) : null;
  if (typeof token?.sub !== "string" || typeof token.sid !== "string") return undefined;
  const role = await sessionInUse(token.sid, token.sub);
  if (!role) return undefined;
  return { id: token.sub, username: typeof token.name === "string" ? token.name : "", role, sessionId: token.sid };
});

/** Every page and server action for signed-in users calls this itself. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

/** Every admin page and server action calls this itself; the proxy is only a convenience. */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "admin") forbidden();
  return user;
}
