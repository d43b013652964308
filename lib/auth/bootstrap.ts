import "server-only";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/db/audit";
import { ensureSystemGroups, systemGroupId } from "@/lib/db/groups";
import { addManualMembership, createLocalUser, findUserByUsername } from "@/lib/db/users";
import { env } from "@/lib/env";
import { generatePassword, hashPassword } from "./password";

/**
 * Runs at every start and is idempotent: system groups and the first administrator.
 * An existing administrator is never touched (their password may have been changed since).
 */
export async function bootstrap(): Promise<void> {
  // WAL lets readers go on while a login writes; the busy timeout is set on the connection.
  await db().$queryRawUnsafe("PRAGMA journal_mode=WAL");
  await ensureSystemGroups();

  const { adminUsername, adminPassword } = env();
  if (await findUserByUsername(adminUsername)) return;

  const password = adminPassword ?? generatePassword();
  const admin = await createLocalUser({ username: adminUsername, passwordHash: await hashPassword(password) });
  await addManualMembership(admin.id, await systemGroupId("administrators"));
  await recordAudit({ actor: "system", action: "user.create", target: adminUsername, outcome: "success", details: { reason: "bootstrap" } });

  if (!adminPassword) {
    // Printed once, on the start that creates the account; it is not stored anywhere in clear.
    console.log(
      [
        "",
        "============================================================",
        " Administrator account created",
        `   username: ${adminUsername}`,
        `   password: ${password}`,
        " This password is shown only once. Change it after signing in.",
        "============================================================",
        "",
      ].join("\n"),
    );
  }
}
