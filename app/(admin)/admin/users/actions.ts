"use server";

import { revalidatePath } from "next/cache";
import { fieldErrorsFromZod, type ActionResult } from "@/lib/action-result";
import { adminRefusalMessage, type AccountChange, type AdminRefusal } from "@/lib/auth/admin-rules";
import { requireAdmin, type CurrentUser } from "@/lib/auth/guards";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/db/audit";
import { isUniqueViolation } from "@/lib/db/group-admin";
import { SYSTEM_GROUPS } from "@/lib/db/groups";
import {
  deleteUser,
  findGroupSummary,
  findUserSummary,
  hasManualMembership,
  removeManualMembership,
  setLocalPassword,
  setUserDisabled,
  usernameTaken,
} from "@/lib/db/user-admin";
import { addManualMembership, createLocalUser } from "@/lib/db/users";
import { createUserSchema, membershipSchema, resetPasswordSchema, userIdSchema } from "@/lib/validation/user";

const LDAP_PASSWORD_MESSAGE = "This is an LDAP user: the password is managed in the directory, not here.";
const GONE_MESSAGE = "This user no longer exists. Another administrator may have deleted it.";

function revalidateUsers() {
  // The list and every /admin/users/[id] page, plus the member counts on the groups page.
  revalidatePath("/admin/users", "layout");
  revalidatePath("/admin/groups");
}

async function refuse(admin: CurrentUser, action: string, target: string, reason: string, message: string): Promise<{ ok: false; formError: string }> {
  await recordAudit({ actor: admin.username, action, target, outcome: "failure", details: { reason } });
  return { ok: false, formError: message };
}

/** A change lib refused because it would leave no enabled administrator or lock the actor out. */
async function refuseAdminChange(admin: CurrentUser, action: string, username: string, refusal: AdminRefusal, change: AccountChange, group = "Administrators") {
  return refuse(admin, action, username, refusal, adminRefusalMessage(refusal, change, { username, group }));
}

/** Creates a local account; a generated password is returned this once and stored only as a hash. */
export async function createUserAction(values: unknown): Promise<ActionResult<{ id: string; username: string; generatedPassword?: string }>> {
  const admin = await requireAdmin();
  const parsed = createUserSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const input = parsed.data;
  const taken = { ok: false as const, fieldErrors: { username: `A user named ${input.username} already exists` } };
  if (await usernameTaken(input.username)) return taken;

  const password = input.generatePassword ? generatePassword() : input.password;
  try {
    const user = await createLocalUser({ username: input.username, email: input.email || undefined, passwordHash: await hashPassword(password) });
    await recordAudit({
      actor: admin.username,
      action: "user.create",
      target: user.username,
      outcome: "success",
      details: { source: "local", email: user.email, generatedPassword: input.generatePassword },
    });
    revalidateUsers();
    return { ok: true, data: { id: user.id, username: user.username, generatedPassword: input.generatePassword ? password : undefined } };
  } catch (error) {
    if (isUniqueViolation(error)) return taken;
    throw error;
  }
}

export async function resetUserPasswordAction(values: unknown): Promise<ActionResult<{ generatedPassword?: string }>> {
  const admin = await requireAdmin();
  const parsed = resetPasswordSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const input = parsed.data;
  const user = await findUserSummary(input.userId);
  if (!user) return { ok: false, formError: GONE_MESSAGE };
  if (user.source !== "local") return refuse(admin, "user.password_reset", user.username, "ldap_user", LDAP_PASSWORD_MESSAGE);

  const password = input.generatePassword ? generatePassword() : input.password;
  if (!(await setLocalPassword(user.id, await hashPassword(password)))) return { ok: false, formError: LDAP_PASSWORD_MESSAGE };
  await recordAudit({ actor: admin.username, action: "user.password_reset", target: user.username, outcome: "success", details: { generatedPassword: input.generatePassword } });
  revalidateUsers();
  return { ok: true, data: { generatedPassword: input.generatePassword ? password : undefined } };
}

async function setDisabled(values: unknown, disabled: boolean): Promise<ActionResult<{ username: string }>> {
  const admin = await requireAdmin();
  const parsed = userIdSchema.safeParse(values);
  if (!parsed.success) return { ok: false, formError: "Unknown user." };
  const user = await findUserSummary(parsed.data.userId);
  if (!user) return { ok: false, formError: GONE_MESSAGE };
  const action = disabled ? "user.disable" : "user.enable";
  const result = await setUserDisabled(user.id, disabled, admin.id);
  if (!result.ok) {
    if (result.reason === "not_found") return { ok: false, formError: GONE_MESSAGE };
    return refuseAdminChange(admin, action, user.username, result.reason, "disable");
  }
  await recordAudit({ actor: admin.username, action, target: user.username, outcome: "success", details: { source: user.source } });
  revalidateUsers();
  return { ok: true, data: { username: user.username } };
}

export async function disableUserAction(values: unknown): Promise<ActionResult<{ username: string }>> {
  return setDisabled(values, true);
}

export async function enableUserAction(values: unknown): Promise<ActionResult<{ username: string }>> {
  return setDisabled(values, false);
}

export async function deleteUserAction(values: unknown): Promise<ActionResult<{ username: string }>> {
  const admin = await requireAdmin();
  const parsed = userIdSchema.safeParse(values);
  if (!parsed.success) return { ok: false, formError: "Unknown user." };
  const user = await findUserSummary(parsed.data.userId);
  if (!user) return { ok: false, formError: GONE_MESSAGE };
  const result = await deleteUser(user.id, admin.id);
  if (!result.ok) {
    if (result.reason === "not_found") return { ok: false, formError: GONE_MESSAGE };
    return refuseAdminChange(admin, "user.delete", user.username, result.reason, "delete");
  }
  await recordAudit({ actor: admin.username, action: "user.delete", target: user.username, outcome: "success", details: { source: user.source } });
  revalidateUsers();
  return { ok: true, data: { username: user.username } };
}

export async function addMembershipAction(values: unknown): Promise<ActionResult<{ group: string }>> {
  const admin = await requireAdmin();
  const parsed = membershipSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const [user, group] = await Promise.all([findUserSummary(parsed.data.userId), findGroupSummary(parsed.data.groupId)]);
  if (!user) return { ok: false, formError: GONE_MESSAGE };
  if (!group) return { ok: false, fieldErrors: { groupId: "This group no longer exists." } };
  if (group.systemKey === SYSTEM_GROUPS.allUsers.systemKey) return { ok: false, fieldErrors: { groupId: `Every user is already in ${group.name}.` } };
  if (await hasManualMembership(user.id, group.id)) return { ok: false, fieldErrors: { groupId: `${user.username} is already a member of ${group.name}.` } };

  await addManualMembership(user.id, group.id);
  await recordAudit({ actor: admin.username, action: "membership.add", target: user.username, outcome: "success", details: { group: group.name, origin: "manual" } });
  revalidateUsers();
  return { ok: true, data: { group: group.name } };
}

export async function removeMembershipAction(values: unknown): Promise<ActionResult<{ group: string }>> {
  const admin = await requireAdmin();
  const parsed = membershipSchema.safeParse(values);
  if (!parsed.success) return { ok: false, formError: "Unknown user or group." };
  const [user, group] = await Promise.all([findUserSummary(parsed.data.userId), findGroupSummary(parsed.data.groupId)]);
  if (!user) return { ok: false, formError: GONE_MESSAGE };
  if (!group) return { ok: false, formError: "This group no longer exists." };
  const result = await removeManualMembership(user.id, group.id, admin.id);
  if (!result.ok) {
    if (result.reason === "not_found") {
      return { ok: false, formError: `${user.username} has no manual membership in ${group.name}; memberships marked LDAP follow the directory.` };
    }
    return refuseAdminChange(admin, "membership.remove", user.username, result.reason, "demote", group.name);
  }
  await recordAudit({ actor: admin.username, action: "membership.remove", target: user.username, outcome: "success", details: { group: group.name, origin: "manual" } });
  revalidateUsers();
  return { ok: true, data: { group: group.name } };
}
