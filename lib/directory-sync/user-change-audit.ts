import "server-only";
import { recordAudit } from "@/lib/db/audit";
import { groupNames } from "@/lib/db/directory-sync";
import { REFUSAL_TEXT, type UserChange } from "./plan";

/** One audit event per user whose access or groups an applied sync or revalidation changed. */
export async function auditUserChanges(actor: string, configName: string, changes: UserChange[]): Promise<void> {
  const names = await groupNames();
  for (const change of changes) {
    const changed = change.disable || change.reenable || change.groupsAdded.length || change.groupsRemoved.length;
    if (!changed) continue;
    await recordAudit({
      actor,
      action: change.disable ? "user.directory_disable" : change.reenable ? "user.directory_enable" : "membership.sync",
      target: change.username,
      outcome: "success",
      details: {
        configuration: configName,
        ...(change.disable ? { reason: REFUSAL_TEXT[change.disable] } : {}),
        groupsAdded: change.groupsAdded.map((id) => names.get(id) ?? id),
        groupsRemoved: change.groupsRemoved.map((id) => names.get(id) ?? id),
      },
    });
  }
}
