"use server";

import { ActionError, adminAction, type Revalidation } from "@/lib/admin-action";
import { builtInGroupMessage, groupMappingRefusal } from "@/lib/auth/admin-rules";
import {
  createGroup,
  deleteGroup,
  findGroupForEdit,
  groupConflicts,
  isUniqueViolation,
  updateGroup,
} from "@/lib/db/group-admin";
import { engineConfigFor } from "@/lib/db/ldap-configs";
import { withStoredSecret } from "@/lib/configurations/service";
import { searchGroups, type GroupMatch } from "@/lib/ldap";
import {
  groupIdSchema,
  groupSchema,
  ldapGroupSearchSchema,
  updateGroupSchema,
  type GroupInput,
} from "@/lib/validation/group";

/** The groups list, every user page (member counts, badges) and the profile show groups. */
const GROUP_PAGES: readonly Revalidation[] = ["/admin/groups", { path: "/admin/users", type: "layout" }, "/profile"];

const RACE_MESSAGE = "Another administrator saved a group with the same name or priority. Reload and try again.";
const GONE_MESSAGE = "This group no longer exists. It may have been deleted by another administrator.";

function auditSummary(input: GroupInput) {
  // Setting values may be anything an administrator typed; the log keeps only their keys.
  return {
    name: input.name,
    priority: input.priority,
    ldapMappings: input.ldapMappings.map((mapping) => ({ dn: mapping.dn, configId: mapping.configId })),
    settingKeys: input.settings.map((setting) => setting.key),
  };
}

/** Refuses (and audits) a name or priority another group has, or a mapping to a missing configuration. */
async function refuseConflicts(input: GroupInput, auditTarget: string, exceptId?: string): Promise<void> {
  const conflicts = await groupConflicts(input, exceptId);
  if (Object.keys(conflicts).length === 0) return;
  throw new ActionError({
    fieldErrors: conflicts,
    audit: {
      target: auditTarget,
      details: { reason: "conflict", fields: Object.keys(conflicts), ...auditSummary(input) },
    },
  });
}

/** Runs the write; a concurrent save that took the name or priority reads as the conflict it is. */
async function saving<T>(input: GroupInput, exceptId: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const conflicts = await groupConflicts(input, exceptId);
    throw new ActionError(Object.keys(conflicts).length > 0 ? { fieldErrors: conflicts } : { formError: RACE_MESSAGE });
  }
}

export const createGroupAction = adminAction({
  input: groupSchema,
  audit: "group.create",
  revalidate: GROUP_PAGES,
  async run(input) {
    await refuseConflicts(input, input.name);
    const group = await saving(input, undefined, () => createGroup(input));
    return { data: { id: group.id, name: group.name }, audit: { target: group.name, details: auditSummary(input) } };
  },
});

export const updateGroupAction = adminAction({
  input: updateGroupSchema,
  invalid: { formError: "Unknown group.", fieldsOf: "values" },
  audit: "group.update",
  revalidate: ({ id }) => [...GROUP_PAGES, `/admin/groups/${id}/edit`],
  async run({ id, values: input }) {
    const existing = await findGroupForEdit(id);
    if (!existing) throw new ActionError({ formError: GONE_MESSAGE });
    const refusal = groupMappingRefusal(existing, input.ldapMappings.length);
    if (refusal) throw new ActionError({ formError: refusal });
    await refuseConflicts(input, existing.name, id);
    const changes = await saving(input, id, () => updateGroup(id, input));
    if (!changes) throw new ActionError({ formError: GONE_MESSAGE });
    return { data: { id, name: input.name }, audit: { target: input.name, details: changes } };
  },
});

export const deleteGroupAction = adminAction({
  input: groupIdSchema,
  invalid: { formError: "Unknown group." },
  audit: "group.delete",
  revalidate: GROUP_PAGES,
  async run({ id }) {
    const outcome = await deleteGroup(id);
    if (!outcome.ok) {
      if (outcome.reason === "system_group") {
        const name = outcome.name ?? "This group";
        throw new ActionError({
          formError: builtInGroupMessage(name),
          audit: { target: name, details: { reason: "system_group" } },
        });
      }
      throw new ActionError({ formError: "This group no longer exists." });
    }
    return {
      data: { name: outcome.name },
      audit: { target: outcome.name, details: { memberships: outcome.memberships, ldapDns: outcome.ldapDns } },
    };
  },
});

/** What the picker shows: the matching groups, or the engine's error for administrators. */
export type LdapGroupSearchOutcome =
  | { found: true; groups: GroupMatch[]; searchBase: string }
  | { found: false; message: string; hint: string; detail?: string; serverDiagnostic?: string };

export const searchLdapGroupsAction = adminAction({
  input: ldapGroupSearchSchema,
  async run({ configId, text }): Promise<{ data: LdapGroupSearchOutcome }> {
    const loaded = await withStoredSecret(() => engineConfigFor(configId));
    if (!loaded.ok) return { data: { found: false, message: loaded.message, hint: loaded.hint } };
    const config = loaded.value;
    if (!config) throw new ActionError({ fieldErrors: { configId: "This LDAP configuration no longer exists." } });
    const result = await searchGroups(config, text);
    if (!result.ok) {
      const { message, hint, detail, serverDiagnostic } = result.error;
      return { data: { found: false, message, hint, detail, serverDiagnostic } };
    }
    return { data: { found: true, groups: result.value, searchBase: config.searchBase } };
  },
});
