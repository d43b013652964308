import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { activeAccountRole, type Role } from "@/lib/db/users";
import { authOptions } from "./options";

export interface CurrentUser {
  id: string;
  username: string;
  role: Role;
}

/**
 * The signed-in user, or undefined: once per request (React cache), with one query. A deleted or
 * disabled account counts as signed out, and the role is read here, not from the session cookie:
 * the cookie is renewed while in use, so a role copied into it at sign-in would outlive a removal
 * from Administrators.
 */
export const currentUser = cache(async (): Promise<CurrentUser | undefined> => {
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) return undefined;
  const role = await activeAccountRole(session.user.id);
  if (!role) return undefined;
  return { id: session.user.id, username: session.user.name, role };
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
