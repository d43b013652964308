import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "./client";
import { Prisma } from "./generated/client";
import { SYSTEM_GROUPS } from "./groups";
import { requiredSettingSql } from "./second-factors";
import type { Role } from "./users";

/** lastSeenAt is for people reading the sessions list: a minute is precise enough, and spares a write per request. */
const SEEN_PRECISION_MS = 60_000;

export interface NewSession {
  userId: string;
  clientAddress: string;
  userAgent: string;
  lifetimeSeconds: number;
}

/** A session row for a sign-in that just succeeded; its id goes into the session cookie. */
export async function createSession(session: NewSession, now = new Date()): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db().session.create({
    data: {
      id,
      userId: session.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + session.lifetimeSeconds * 1000),
      lastSeenAt: now,
      checkedAt: now,
      clientAddress: session.clientAddress,
      // Enough to tell browsers apart in a list; a longer value is noise.
      userAgent: session.userAgent.slice(0, 200),
    },
  });
  return id;
}

/**
 * The session of a sign-in whose password was right, in one statement, unless a second step is
 * due (the user has a factor, a group requires one, or an administrator reset them): then no
 * row and undefined. Most sign-ins need no second step, and this keeps them at one write.
 */
export async function createSessionUnlessSecondStep(
  session: NewSession,
  now = new Date(),
): Promise<string | undefined> {
  const id = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + session.lifetimeSeconds * 1000);
  const userId = session.userId;
  const created = await db().$queryRaw<{ id: string }[]>`
    INSERT INTO "Session" ("id", "userId", "createdAt", "expiresAt", "lastSeenAt", "checkedAt", "clientAddress", "userAgent")
    SELECT ${id}, ${userId}, ${now}, ${expiresAt}, ${now}, ${now}, ${session.clientAddress}, ${session.userAgent.slice(0, 200)}
    WHERE NOT EXISTS (SELECT 1 FROM "SecondFactor" WHERE "userId" = ${userId})
      AND NOT EXISTS (SELECT 1 FROM "User" WHERE "id" = ${userId} AND "secondFactorResetAt" IS NOT NULL)
      AND COALESCE(LOWER(TRIM(${requiredSettingSql(Prisma.sql`${userId}`)})), '') <> 'true'
    RETURNING "id"`;
  return created[0]?.id;
}

/** What a request needs of its session and account. */
export interface SessionAccount {
  role: Role;
  lastSeenAt: Date;
  checkedAt: Date;
  /** Directory users: their configuration and its Session Revalidation (0 = off). */
  directory?: { configId: string; revalidationMinutes: number };
}

interface SessionAccountRow {
  lastSeenAt: Date | string;
  checkedAt: Date | string;
  disabled: boolean | number;
  directoryRefusal: string | null;
  ldapConfigId: string | null;
  revalidationMinutes: number | null;
  admin: boolean | number;
}

/**
 * The session and its account in one statement, or undefined when the session ended (signed
 * out, expired, ended by an administrator) or the account was deleted or disabled since. The
 * role is read here, never from the cookie: a removal from Administrators counts at once.
 */
export async function sessionAccount(
  sessionId: string,
  userId: string,
  now = new Date(),
): Promise<SessionAccount | undefined> {
  const [row] = await db().$queryRaw<SessionAccountRow[]>`
    SELECT s."lastSeenAt", s."checkedAt", u."disabled", u."directoryRefusal", u."ldapConfigId",
      c."sessionRevalidationMinutes" AS "revalidationMinutes",
      EXISTS (SELECT 1 FROM "GroupMembership" AS gm JOIN "Group" AS g ON g."id" = gm."groupId"
        WHERE gm."userId" = u."id" AND g."systemKey" = ${SYSTEM_GROUPS.administrators.systemKey}) AS "admin"
    FROM "Session" AS s JOIN "User" AS u ON u."id" = s."userId"
      LEFT JOIN "LdapConfig" AS c ON c."id" = u."ldapConfigId" AND c."enabled" = true
    WHERE s."id" = ${sessionId} AND s."userId" = ${userId} AND s."expiresAt" > ${now}`;
  if (!row || Boolean(row.disabled) || row.directoryRefusal) return undefined;
  return {
    role: Boolean(row.admin) ? "admin" : "user",
    lastSeenAt: new Date(row.lastSeenAt),
    checkedAt: new Date(row.checkedAt),
    ...(row.ldapConfigId && row.revalidationMinutes !== null
      ? { directory: { configId: row.ldapConfigId, revalidationMinutes: Number(row.revalidationMinutes) } }
      : {}),
  };
}

export function seenLongAgo(account: SessionAccount, now = new Date()): boolean {
  return now.getTime() - account.lastSeenAt.getTime() >= SEEN_PRECISION_MS;
}

export async function touchSession(sessionId: string, now = new Date()): Promise<void> {
  await db().session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: now } });
}

/**
 * Takes the session's next revalidation: true for the one request (of several at once, on any
 * instance) that moved checkedAt past `checkedBefore`; the others go on without waiting for it.
 */
export async function claimRevalidation(sessionId: string, checkedBefore: Date, now = new Date()): Promise<boolean> {
  const { count } = await db().session.updateMany({
    where: { id: sessionId, checkedAt: { lt: checkedBefore } },
    data: { checkedAt: now, lastSeenAt: now },
  });
  return count > 0;
}

export async function endSession(sessionId: string): Promise<void> {
  await db().session.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of the user, or every one but `except` (the caller's own). The count ended. */
export async function endSessionsOf(userId: string, except?: string): Promise<number> {
  const { count } = await db().session.deleteMany({
    where: { userId, ...(except ? { id: { not: except } } : {}) },
  });
  return count;
}

/** The user's open sessions, newest first; `current` marks the caller's own. Ids stay here. */
export async function sessionsOf(userId: string, current?: string, now = new Date()) {
  const sessions = await db().session.findMany({
    where: { userId, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, clientAddress: true, userAgent: true },
  });
  return sessions.map(({ id, ...session }) => ({ ...session, current: id === current }));
}

export async function purgeSessions(now: number): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  return count;
}
