import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { sessionClaims } from "@/lib/db/users";
import { authOptions } from "./options";

export interface CurrentUser {
  id: string;
  username: string;
  role: "admin" | "user";
  groupIds: string[];
}

/**
 * The signed-in user, or undefined. A deleted or disabled account counts as signed out, and the
 * role is read again here: the session cookie is renewed while in use, so a role copied into it
 * at sign-in would outlive a removal from Administrators.
 */
export async function currentUser(): Promise<CurrentUser | undefined> {
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) return undefined;
  const stored = await db().user.findUnique({ where: { id: session.user.id }, select: { disabled: true } });
  if (!stored || stored.disabled) return undefined;
  const { role, groupIds } = await sessionClaims(session.user.id);
  return { id: session.user.id, username: session.user.name, role, groupIds };
}

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
