import "server-only";
import { Prisma } from "./generated/client";
import { beginAttempt, type AttemptPolicy } from "./throttle";
import { normalizeUsername } from "./users";

export type SignInOpening =
  | { admitted: false; lockedUntil: Date }
  | {
      admitted: true;
      /** A local account has this login (only then is the users table read for a password hash). */
      localAccount: boolean;
      /** The SettingsVersion, to pick the cached sign-in settings (sign-in-settings.ts). */
      settingsVersion: number;
    };

/**
 * A sign-in's first statement: admits it against its client address's brake and, in the same
 * statement, reads what routing needs first (is there a local account by this name; which
 * settings version is current), so a returning directory user costs five statements in all.
 */
export async function openSignIn(
  addressKey: string,
  policy: AttemptPolicy,
  login: string,
  now: number,
): Promise<SignInOpening> {
  const opening = await beginAttempt<{ localAccount: unknown; settingsVersion: unknown }>(
    addressKey,
    policy,
    now,
    Prisma.sql`,
      (SELECT COUNT(*) FROM "User" WHERE "username" = ${normalizeUsername(login)} AND "source" = 'local') AS "localAccount",
      (SELECT "version" FROM "SettingsVersion" WHERE "id" = 1) AS "settingsVersion"`,
  );
  if (!opening.admitted) return opening;
  // SQLite and PostgreSQL return these as number or bigint.
  return {
    admitted: true,
    localAccount: Number(opening.localAccount) > 0,
    settingsVersion: Number(opening.settingsVersion),
  };
}
