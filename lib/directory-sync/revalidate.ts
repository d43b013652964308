import "server-only";
import { applySyncChanges, mappedGroupsOf, syncedUser } from "@/lib/db/directory-sync";
import { findLdapConfig, storedServicePassword, toEngineConfig } from "@/lib/db/ldap-configs";
import { lookUpAccounts } from "@/lib/ldap";
import { componentLogger } from "@/lib/observability/logger.mjs";
import { planSync } from "./plan";
import { auditUserChanges } from "./user-change-audit";

const log = componentLogger("sessions");

/**
 * What looking one user up again found:
 * - unchanged: the directory says what the portal already has;
 * - changed: access was given back, groups or attributes followed the directory;
 * - refused: the user is disabled, gone or no longer matching, and now refused everywhere;
 * - unknown: the directory could not be read, or its answer was partial: nothing changed.
 */
export type Revalidation = "unchanged" | "changed" | "refused" | "unknown";

/**
 * Session Revalidation: one user looked up again as the service account (no password), with
 * the sync's rules. A single user is not a mass change, so no Max Disable Share; an uncertain
 * answer still changes nothing.
 */
export async function revalidateUser(userId: string, configId: string): Promise<Revalidation> {
  const row = await findLdapConfig(configId);
  const user = await syncedUser(userId, configId);
  if (!row || !user) return "unknown";
  const config = toEngineConfig(row, await storedServicePassword(configId));
  const looked = await lookUpAccounts(config, [user.directoryId]);
  if (!looked.ok) {
    log.warn(
      { config: row.name, login: user.username, code: looked.error.code },
      `revalidation skipped: ${looked.error.message}`,
    );
    return "unknown";
  }
  const plan = planSync({
    users: [user],
    accounts: looked.value.accounts,
    mappedGroupIds: await mappedGroupsOf(configId),
    maxDisableSharePercent: 100,
  });
  if (plan.held) return "unknown";
  if (plan.changes.length === 0) return "unchanged";
  await applySyncChanges(plan.changes);
  await auditUserChanges("session revalidation", row.name, plan.changes);
  return plan.changes.some((change) => change.disable) ? "refused" : "changed";
}
