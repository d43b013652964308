"use server";

import { revalidatePath } from "next/cache";
import { fieldErrorsFromZod, type ActionResult } from "@/lib/action-result";
import { requireAdmin } from "@/lib/auth/guards";
import { recordAudit } from "@/lib/db/audit";
import { createGroup, deleteGroup, findGroupForEdit, groupConflicts, isUniqueViolation, updateGroup } from "@/lib/db/group-admin";
import { SYSTEM_GROUPS } from "@/lib/db/groups";
import { engineConfigFor } from "@/lib/db/ldap-configs";
import { withStoredSecret } from "@/lib/ldap-admin";
import { searchGroups, type GroupMatch } from "@/lib/ldap";
import { groupIdSchema, groupSchema, ldapGroupSearchSchema, type GroupInput } from "@/lib/validation/group";

const ALL_USERS_NEEDS_NO_MAPPING = "All Users needs no LDAP Group: every user is already a member.";

function revalidateGroups() {
  revalidatePath("/admin/groups");
  revalidatePath("/admin/users", "layout");
  revalidatePath("/profile");
}

const RACE_MESSAGE = "Another administrator saved a group with the same name or priority. Reload and try again.";

/** Name or priority taken by another group, as field errors; undefined when both are free. */
async function conflictsOf(input: GroupInput, exceptId?: string): Promise<Record<string, string> | undefined> {
  const fieldErrors = await groupConflicts(input, exceptId);
  return Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined;
}

function auditSummary(input: GroupInput) {
  // Setting values may be anything an administrator typed; the log keeps only their keys.
  return {
    name: input.name,
    priority: input.priority,
    ldapMappings: input.ldapMappings.map((mapping) => ({ dn: mapping.dn, configId: mapping.configId })),
    settingKeys: input.settings.map((setting) => setting.key),
  };
}

export async function createGroupAction(values: unknown): Promise<ActionResult<{ id: string; name: string }>> {
  const admin = await requireAdmin();
  const parsed = groupSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const input = parsed.data;

  const conflicts = await conflictsOf(input);
  if (conflicts) {
    await recordAudit({ actor: admin.username, action: "group.create", target: input.name, outcome: "failure", details: { reason: "conflict", fields: Object.keys(conflicts), ...auditSummary(input) } });
    return { ok: false, fieldErrors: conflicts };
  }
  try {
    const group = await createGroup(input);
    await recordAudit({ actor: admin.username, action: "group.create", target: group.name, outcome: "success", details: auditSummary(input) });
    revalidateGroups();
    return { ok: true, data: { id: group.id, name: group.name } };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const conflicts = await conflictsOf(input);
      return conflicts ? { ok: false, fieldErrors: conflicts } : { ok: false, formError: RACE_MESSAGE };
    }
    throw error;
  }
}

export async function updateGroupAction(id: string, values: unknown): Promise<ActionResult<{ id: string; name: string }>> {
  const admin = await requireAdmin();
  const target = groupIdSchema.safeParse({ id });
  if (!target.success) return { ok: false, formError: "Unknown group." };
  const parsed = groupSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const input = parsed.data;

  const existing = await findGroupForEdit(id);
  if (!existing) return { ok: false, formError: "This group no longer exists. It may have been deleted by another administrator." };
  if (existing.systemKey === SYSTEM_GROUPS.allUsers.systemKey && input.ldapMappings.length > 0) {
    return { ok: false, formError: ALL_USERS_NEEDS_NO_MAPPING };
  }
  const conflicts = await conflictsOf(input, id);
  if (conflicts) {
    await recordAudit({ actor: admin.username, action: "group.update", target: existing.name, outcome: "failure", details: { reason: "conflict", fields: Object.keys(conflicts), ...auditSummary(input) } });
    return { ok: false, fieldErrors: conflicts };
  }
  try {
    const changes = await updateGroup(id, input);
    if (!changes) return { ok: false, formError: "This group no longer exists. It may have been deleted by another administrator." };
    await recordAudit({ actor: admin.username, action: "group.update", target: input.name, outcome: "success", details: changes });
    revalidateGroups();
    revalidatePath(`/admin/groups/${id}/edit`);
    return { ok: true, data: { id, name: input.name } };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const conflicts = await conflictsOf(input, id);
      return conflicts ? { ok: false, fieldErrors: conflicts } : { ok: false, formError: RACE_MESSAGE };
    }
    throw error;
  }
}

export async function deleteGroupAction(id: string): Promise<ActionResult<{ name: string }>> {
  const admin = await requireAdmin();
  const target = groupIdSchema.safeParse({ id });
  if (!target.success) return { ok: false, formError: "Unknown group." };
  const outcome = await deleteGroup(target.data.id);
  if (!outcome.ok) {
    if (outcome.reason === "system_group") {
      await recordAudit({ actor: admin.username, action: "group.delete", target: outcome.name, outcome: "failure", details: { reason: "system_group" } });
      return { ok: false, formError: `${outcome.name} is a built-in group and cannot be deleted.` };
    }
    return { ok: false, formError: "This group no longer exists." };
  }
  await recordAudit({
    actor: admin.username,
    action: "group.delete",
    target: outcome.name,
    outcome: "success",
    details: { memberships: outcome.memberships, ldapDns: outcome.ldapDns },
  });
  revalidateGroups();
  return { ok: true, data: { name: outcome.name } };
}

/** What the picker shows: the matching groups, or the engine's error for administrators. */
export type LdapGroupSearchOutcome =
  | { found: true; groups: GroupMatch[]; searchBase: string }
  | { found: false; message: string; hint: string; detail?: string; serverDiagnostic?: string };

export async function searchLdapGroupsAction(values: unknown): Promise<ActionResult<LdapGroupSearchOutcome>> {
  await requireAdmin();
  const parsed = ldapGroupSearchSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const loaded = await withStoredSecret(() => engineConfigFor(parsed.data.configId));
  if (!loaded.ok) return { ok: true, data: { found: false, message: loaded.message, hint: loaded.hint } };
  const config = loaded.value;
  if (!config) return { ok: false, fieldErrors: { configId: "This LDAP configuration no longer exists." } };
  const result = await searchGroups(config, parsed.data.text);
  if (!result.ok) {
    const { message, hint, detail, serverDiagnostic } = result.error;
    return { ok: true, data: { found: false, message, hint, detail, serverDiagnostic } };
  }
  return { ok: true, data: { found: true, groups: result.value, searchBase: config.searchBase } };
}
