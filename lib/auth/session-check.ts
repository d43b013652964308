import "server-only";
import { claimRevalidation, seenLongAgo, sessionAccount, touchSession } from "@/lib/db/sessions";
import type { Role } from "@/lib/db/users";
import { revalidateUser } from "@/lib/directory-sync/revalidate";

/**
 * What a request makes of its session: the account's role, or undefined when the session or the
 * account no longer stands. One statement in the usual case; at most once a minute the session's
 * last use is written, and at most once per Session Revalidation interval a directory user is
 * looked up again (the first request past the interval does it, on whichever instance).
 */
export async function sessionInUse(sessionId: string, userId: string, now = new Date()): Promise<Role | undefined> {
  const account = await sessionAccount(sessionId, userId, now);
  if (!account) return undefined;
  const minutes = account.directory?.revalidationMinutes ?? 0;
  const checkedBefore = new Date(now.getTime() - minutes * 60_000);
  if (account.directory && minutes > 0 && account.checkedAt < checkedBefore) {
    if (await claimRevalidation(sessionId, checkedBefore, now)) {
      const found = await revalidateUser(userId, account.directory.configId);
      if (found === "changed" || found === "refused") return (await sessionAccount(sessionId, userId, now))?.role;
    }
    return account.role;
  }
  if (seenLongAgo(account, now)) await touchSession(sessionId, now);
  return account.role;
}
