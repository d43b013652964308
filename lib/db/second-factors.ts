import "server-only";
import { REQUIRE_TWO_FACTOR, requiresTwoFactor } from "@/lib/two-factor/requirement";
import { db, transaction } from "./client";
import { Prisma } from "./generated/client";
import { SYSTEM_GROUPS } from "./groups";

/** Whether a user who just gave the right password needs a second step, and which one. */
export interface SecondFactorState {
  factors: number;
  /** Required by the user's groups (the lowest priority number that sets it wins). */
  required: boolean;
  /** An administrator reset the factors: enrol one before anything else. */
  resetPending: boolean;
}

/**
 * SQL for the user's Require Two-Factor value: from the user's groups (All Users implicitly), the
 * lowest priority number that sets it. `userId` is the SQL naming the user (a column or a value).
 */
export function requiredSettingSql(userId: Prisma.Sql) {
  return Prisma.sql`(SELECT s."value" FROM "GroupSetting" AS s JOIN "Group" AS g ON g."id" = s."groupId"
    WHERE s."key" = ${REQUIRE_TWO_FACTOR}
      AND (g."systemKey" = ${SYSTEM_GROUPS.allUsers.systemKey}
        OR g."id" IN (SELECT gm."groupId" FROM "GroupMembership" AS gm WHERE gm."userId" = ${userId}))
    ORDER BY g."priority" ASC LIMIT 1)`;
}

/** In one statement: the factor count, the group requirement and a pending reset. */
export async function secondFactorState(userId: string): Promise<SecondFactorState> {
  const [row] = await db().$queryRaw<
    { factors: number | bigint; required: string | null; secondFactorResetAt: Date | string | null }[]
  >`
    SELECT u."secondFactorResetAt",
      (SELECT COUNT(*) FROM "SecondFactor" AS f WHERE f."userId" = u."id") AS "factors",
      ${requiredSettingSql(Prisma.raw('u."id"'))} AS "required"
    FROM "User" AS u WHERE u."id" = ${userId}`;
  return {
    factors: Number(row?.factors ?? 0),
    required: requiresTwoFactor(row?.required),
    resetPending: Boolean(row?.secondFactorResetAt),
  };
}

// ---------------------------------------------------------------------------------------------
// Sign-in challenges: between the password and the second factor

export async function createChallenge(challenge: {
  id: string;
  userId: string;
  expiresAt: Date;
  clientAddress: string;
  userAgent: string;
}) {
  await db().signInChallenge.create({ data: { ...challenge, userAgent: challenge.userAgent.slice(0, 200) } });
}

/** The challenge and its user while it has not lapsed. */
export async function findChallenge(id: string, now = new Date()) {
  return db().signInChallenge.findFirst({
    where: { id, expiresAt: { gt: now } },
    include: { user: { select: { id: true, username: true, disabled: true, directoryRefusal: true } } },
  });
}

export async function setChallengeEnrolment(id: string, data: { pendingSecret?: string; webauthnChallenge?: string }) {
  await db().signInChallenge.updateMany({ where: { id }, data });
}

export async function satisfyChallenge(id: string, now = new Date()) {
  await db().signInChallenge.updateMany({ where: { id, expiresAt: { gt: now } }, data: { satisfiedAt: now } });
}

/** Spends a satisfied, unexpired challenge: exactly one request gets its user, and only once. */
export async function consumeChallenge(id: string, now = new Date()) {
  const challenge = await db().signInChallenge.findFirst({
    where: { id, expiresAt: { gt: now }, satisfiedAt: { not: null } },
    select: { userId: true, clientAddress: true, userAgent: true, user: { select: { username: true } } },
  });
  if (!challenge) return undefined;
  const { count } = await db().signInChallenge.deleteMany({ where: { id, satisfiedAt: { not: null } } });
  return count === 1 ? challenge : undefined;
}

export async function endChallenge(id: string) {
  await db().signInChallenge.deleteMany({ where: { id } });
}

export async function purgeChallenges(now: number): Promise<number> {
  const { count } = await db().signInChallenge.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  return count;
}

// ---------------------------------------------------------------------------------------------
// Factors

const FACTOR_SUMMARY = { id: true, kind: true, name: true, createdAt: true, lastUsedAt: true } as const;

/** The user's factors (no secret) and how many recovery codes are left. */
export async function factorsOf(userId: string) {
  const [factors, recoveryCodesLeft, user] = await Promise.all([
    db().secondFactor.findMany({ where: { userId }, select: FACTOR_SUMMARY, orderBy: { createdAt: "asc" } }),
    db().recoveryCode.count({ where: { userId, usedAt: null } }),
    db().user.findUnique({ where: { id: userId }, select: { secondFactorResetAt: true } }),
  ]);
  return { factors, recoveryCodesLeft, resetAt: user?.secondFactorResetAt ?? null };
}

export async function totpFactorsOf(userId: string) {
  return db().secondFactor.findMany({
    where: { userId, kind: "totp" },
    select: { id: true, secret: true, lastStep: true },
  });
}

/** Records `step` as spent, unless it (or a later one) already was: true for one caller only. */
export async function spendTotpStep(factorId: string, step: number, now = new Date()): Promise<boolean> {
  const { count } = await db().secondFactor.updateMany({
    where: { id: factorId, OR: [{ lastStep: null }, { lastStep: { lt: step } }] },
    data: { lastStep: step, lastUsedAt: now },
  });
  return count === 1;
}

export type NewFactor =
  | { kind: "totp"; name: string; secret: string; lastStep: number }
  | { kind: "passkey"; name: string; credentialId: string; publicKey: string; counter: number; transports: string };

/**
 * Adds a factor; the user's first also gets ten recovery codes (their hashes). Enrolling ends a
 * pending administrator reset.
 */
export async function addFactor(userId: string, factor: NewFactor, recoveryCodeHashes?: string[]) {
  return transaction(async (tx) => {
    const created = await tx.secondFactor.create({ data: { userId, ...factor }, select: FACTOR_SUMMARY });
    if (recoveryCodeHashes) {
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.recoveryCode.createMany({ data: recoveryCodeHashes.map((hash) => ({ userId, hash })) });
    }
    await tx.user.update({ where: { id: userId }, data: { secondFactorResetAt: null } });
    return created;
  });
}

export async function renameFactor(userId: string, factorId: string, name: string): Promise<boolean> {
  return (await db().secondFactor.updateMany({ where: { id: factorId, userId }, data: { name } })).count === 1;
}

/** Removes a factor; with the last one go the recovery codes. */
export async function removeFactor(userId: string, factorId: string): Promise<boolean> {
  return transaction(async (tx) => {
    const { count } = await tx.secondFactor.deleteMany({ where: { id: factorId, userId } });
    if (count === 1 && (await tx.secondFactor.count({ where: { userId } })) === 0)
      await tx.recoveryCode.deleteMany({ where: { userId } });
    return count === 1;
  });
}

export async function passkeysOf(userId: string) {
  return db().secondFactor.findMany({
    where: { userId, kind: "passkey" },
    select: { id: true, credentialId: true, publicKey: true, counter: true, transports: true },
  });
}

export async function recordPasskeyUse(factorId: string, counter: number, now = new Date()) {
  await db().secondFactor.update({ where: { id: factorId }, data: { counter, lastUsedAt: now } });
}

// ---------------------------------------------------------------------------------------------
// Recovery codes

export async function replaceRecoveryCodes(userId: string, hashes: string[]) {
  await transaction(async (tx) => {
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: hashes.map((hash) => ({ userId, hash })) });
  });
}

/** Spends the code if it is the user's and unused: true for one caller only. */
export async function spendRecoveryCode(userId: string, hash: string, now = new Date()): Promise<boolean> {
  const { count } = await db().recoveryCode.updateMany({
    where: { userId, hash, usedAt: null },
    data: { usedAt: now },
  });
  return count === 1;
}

/** An administrator's reset: every factor, code and half-finished sign-in goes; the next sign-in enrols. */
export async function resetSecondFactors(userId: string, now = new Date()): Promise<number> {
  return transaction(async (tx) => {
    const { count } = await tx.secondFactor.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.signInChallenge.deleteMany({ where: { userId } });
    await tx.user.update({ where: { id: userId }, data: { secondFactorResetAt: now } });
    return count;
  });
}

// ---------------------------------------------------------------------------------------------
// Passkey registration from the Profile: the challenge waits on the session row

export async function setSessionWebauthnChallenge(sessionId: string, challenge: string | null) {
  await db().session.updateMany({ where: { id: sessionId }, data: { webauthnChallenge: challenge } });
}

export async function sessionWebauthnChallenge(sessionId: string): Promise<string | null> {
  return (
    (await db().session.findUnique({ where: { id: sessionId }, select: { webauthnChallenge: true } }))
      ?.webauthnChallenge ?? null
  );
}
