import "server-only";
import { recordAudit } from "@/lib/db/audit";
import { enableWriteAheadLog } from "@/lib/db/database";
import { ensureSystemGroups, systemGroupId } from "@/lib/db/groups";
import { addManualMembership, anyAdministratorExists, createLocalUser, findUserByUsername } from "@/lib/db/users";
import { env } from "@/lib/env";
import { componentLogger } from "@/lib/observability/logger.mjs";
import { generatePassword, hashPassword } from "./password";

const log = componentLogger("bootstrap");

/**
 * Runs at every start and is idempotent: system groups, and the first administrator only while
 * the database holds no administrator at all (enabled or not, any origin). Keyed on that and not
 * on the configured name, so a deleted or renamed bootstrap account stays gone.
 */
export async function bootstrap(): Promise<void> {
  await enableWriteAheadLog();
  await ensureSystemGroups();
  if (await anyAdministratorExists()) return;

  const { adminUsername, adminPassword } = env();
  if (await findUserByUsername(adminUsername)) {
    // Never promote an existing account by its name: it may be someone else's.
    log.warn(
      `[portal] No administrator exists and ${adminUsername} is a non-administrator account: set ADMIN_USERNAME to an unused name and restart to create one.`,
    );
    return;
  }

  const password = adminPassword ?? generatePassword();
  const admin = await createLocalUser({ username: adminUsername, passwordHash: await hashPassword(password) });
  await addManualMembership(admin.id, await systemGroupId("administrators"));
  await recordAudit({
    actor: "system",
    action: "user.create",
    target: adminUsername,
    outcome: "success",
    details: { reason: "bootstrap" },
  });

  if (!adminPassword) {
    // Printed once, on the start that creates the account; it is not stored anywhere in clear. A
    // banner for the person starting the portal, deliberately not a log line.
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
