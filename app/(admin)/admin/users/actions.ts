"use server";

import { ActionError, adminAction, type Revalidation } from "@/lib/admin-action";
import {
  adminRefusalMessage,
  LDAP_PASSWORD_MESSAGE,
  manualMembershipRefusal,
  passwordResetRefusal,
  type AccountChange,
  type AdminRefusal,
} from "@/lib/auth/admin-rules";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { isUniqueViolation } from "@/lib/db/group-admin";
import {
  deleteUser,
  findGroupSummary,
  findUserSummary,
  hasManualMembership,
  removeManualMembership,
  setLocalPassword,
  setUserDisabled,
  usernameTaken,
  type AdminChangeResult,
} from "@/lib/db/user-admin";
import { resetSecondFactors } from "@/lib/db/second-factors";
import { endSessionsOf } from "@/lib/db/sessions";
import { addManualMembership, createLocalUser } from "@/lib/db/users";
import { createUserSchema, membershipSchema, resetPasswordSchema, userIdSchema } from "@/lib/validation/user";

const GONE_MESSAGE = "This user no longer exists. Another administrator may have deleted it.";

/** The list and every /admin/users/[id] page, plus the member counts on the groups page. */
const USER_PAGES: readonly Revalidation[] = [{ path: "/admin/users", type: "layout" }, "/admin/groups"];

async function existingUser(userId: string) {
  const user = await findUserSummary(userId);
  if (!user) throw new ActionError({ formError: GONE_MESSAGE });
  return user;
}

/**
 * A change lib/db refused because it would leave no enabled administrator or lock the actor out
 * (audited), or found nothing to change.
 */
function refuseAdminChange(
  result: Exclude<AdminChangeResult, { ok: true }>,
  change: AccountChange,
  username: string,
  notFound: string,
  group = "Administrators",
): never {
  if (result.reason === "not_found") throw new ActionError({ formError: notFound });
  const refusal: AdminRefusal = result.reason;
  throw new ActionError({
    formError: adminRefusalMessage(refusal, change, { username, group }),
    audit: { target: username, details: { reason: refusal } },
  });
}

/** Creates a local account; a generated password is returned this once and stored only as a hash. */
export const createUserAction = adminAction({
  input: createUserSchema,
  audit: "user.create",
  revalidate: USER_PAGES,
  async run(input) {
    const taken = () => new ActionError({ fieldErrors: { username: `A user named ${input.username} already exists` } });
    if (await usernameTaken(input.username)) throw taken();
    const password = input.generatePassword ? generatePassword() : input.password;
    let user;
    try {
      user = await createLocalUser({
        username: input.username,
        email: input.email || undefined,
        passwordHash: await hashPassword(password),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
    return {
      data: { id: user.id, username: user.username, generatedPassword: input.generatePassword ? password : undefined },
      audit: {
        target: user.username,
        details: { source: "local", email: user.email, generatedPassword: input.generatePassword },
      },
    };
  },
});

export const resetUserPasswordAction = adminAction({
  input: resetPasswordSchema,
  audit: "user.password_reset",
  revalidate: USER_PAGES,
  async run(input) {
    const user = await existingUser(input.userId);
    const refusal = passwordResetRefusal(user);
    if (refusal)
      throw new ActionError({ formError: refusal, audit: { target: user.username, details: { reason: "ldap_user" } } });
    const password = input.generatePassword ? generatePassword() : input.password;
    if (!(await setLocalPassword(user.id, await hashPassword(password))))
      throw new ActionError({ formError: LDAP_PASSWORD_MESSAGE });
    return {
      data: { generatedPassword: input.generatePassword ? password : undefined },
      audit: { target: user.username, details: { generatedPassword: input.generatePassword } },
    };
  },
});

function setDisabledAction(disabled: boolean) {
  return adminAction({
    input: userIdSchema,
    invalid: { formError: "Unknown user." },
    audit: disabled ? "user.disable" : "user.enable",
    revalidate: USER_PAGES,
    async run({ userId }, admin) {
      const user = await existingUser(userId);
      const result = await setUserDisabled(user.id, disabled, admin.id);
      if (!result.ok) refuseAdminChange(result, "disable", user.username, GONE_MESSAGE);
      return { data: { username: user.username }, audit: { target: user.username, details: { source: user.source } } };
    },
  });
}

export const disableUserAction = setDisabledAction(true);

export const enableUserAction = setDisabledAction(false);

export const deleteUserAction = adminAction({
  input: userIdSchema,
  invalid: { formError: "Unknown user." },
  audit: "user.delete",
  revalidate: USER_PAGES,
  async run({ userId }, admin) {
    const user = await existingUser(userId);
    const result = await deleteUser(user.id, admin.id);
    if (!result.ok) refuseAdminChange(result, "delete", user.username, GONE_MESSAGE);
    return { data: { username: user.username }, audit: { target: user.username, details: { source: user.source } } };
  },
});

/** Ends every session of the user on every instance; the account stays as it is. */
export const signOutEverywhereAction = adminAction({
  input: userIdSchema,
  invalid: { formError: "Unknown user." },
  audit: "user.sign_out_everywhere",
  revalidate: USER_PAGES,
  async run({ userId }) {
    const user = await existingUser(userId);
    const ended = await endSessionsOf(user.id);
    return { data: { ended }, audit: { target: user.username, details: { sessions: ended } } };
  },
});

/** Removes every second factor and recovery code of the user; their next sign-in enrols a new one. */
export const resetSecondFactorsAction = adminAction({
  input: userIdSchema,
  invalid: { formError: "Unknown user." },
  audit: "user.second_factor_reset",
  revalidate: USER_PAGES,
  async run({ userId }) {
    const user = await existingUser(userId);
    const removed = await resetSecondFactors(user.id);
    return { data: { removed }, audit: { target: user.username, details: { factorsRemoved: removed } } };
  },
});

export const addMembershipAction = adminAction({
  input: membershipSchema,
  audit: "membership.add",
  revalidate: USER_PAGES,
  async run({ userId, groupId }) {
    const [user, group] = await Promise.all([findUserSummary(userId), findGroupSummary(groupId)]);
    if (!user) throw new ActionError({ formError: GONE_MESSAGE });
    if (!group) throw new ActionError({ fieldErrors: { groupId: "This group no longer exists." } });
    const refusal = manualMembershipRefusal(user, group, await hasManualMembership(user.id, group.id));
    if (refusal) throw new ActionError({ fieldErrors: { groupId: refusal } });
    await addManualMembership(user.id, group.id);
    return {
      data: { group: group.name },
      audit: { target: user.username, details: { group: group.name, origin: "manual" } },
    };
  },
});

export const removeMembershipAction = adminAction({
  input: membershipSchema,
  invalid: { formError: "Unknown user or group." },
  audit: "membership.remove",
  revalidate: USER_PAGES,
  async run({ userId, groupId }, admin) {
    const [user, group] = await Promise.all([findUserSummary(userId), findGroupSummary(groupId)]);
    if (!user) throw new ActionError({ formError: GONE_MESSAGE });
    if (!group) throw new ActionError({ formError: "This group no longer exists." });
    const result = await removeManualMembership(user.id, group.id, admin.id);
    if (!result.ok) {
      const notFound = `${user.username} has no manual membership in ${group.name}; memberships marked LDAP follow the directory.`;
      refuseAdminChange(result, "demote", user.username, notFound, group.name);
    }
    return {
      data: { group: group.name },
      audit: { target: user.username, details: { group: group.name, origin: "manual" } },
    };
  },
});
