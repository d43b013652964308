"use server";

import { revalidatePath } from "next/cache";
import { fieldErrorsFromZod, type ActionResult } from "@/lib/action-result";
import { requireAdmin } from "@/lib/auth/guards";
import { recordAudit } from "@/lib/db/audit";
import {
  createLdapConfig,
  deleteLdapConfig,
  engineConfigFor,
  findLdapConfig,
  listLdapConfigs,
  recordLdapTest,
  setLdapConfigEnabled,
  updateLdapConfig,
} from "@/lib/db/ldap-configs";
import { clearNestingCache, probe, type ProbeResult } from "@/lib/ldap";
import { engineConfigFromInput, routingConflict, runLdapTest, serverFieldErrors, withStoredSecret, type TestReport } from "@/lib/ldap-admin";
import { LDAP_CONFIG_DEFAULTS, ldapConfigSchema, ldapConnectionSchema, ldapTestSchema, type LdapConfigInput, type LdapTestInput } from "@/lib/validation/ldap-config";

const LIST_PATH = "/admin/authentication/ldap";

/** Creates (id undefined) or updates a configuration. The password is write-only: never returned. */
export async function saveLdapConfigAction(id: string | undefined, input: LdapConfigInput): Promise<ActionResult<{ id: string }>> {
  const admin = await requireAdmin();
  const parsed = ldapConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const values = parsed.data;
  if (id && !(await findLdapConfig(id))) return { ok: false, formError: "This configuration no longer exists." };
  const fieldErrors = await serverFieldErrors(values, id);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const { serviceAccountPassword, ...data } = values;
  const saved = id
    ? await updateLdapConfig(id, data, serviceAccountPassword || (values.serviceAccountDn ? undefined : ""))
    : await createLdapConfig(data, serviceAccountPassword);
  // Saving is how an administrator makes a nesting change in the directory count at once.
  clearNestingCache();
  await recordAudit({
    actor: admin.username,
    action: id ? "ldap_config.update" : "ldap_config.create",
    target: saved.name,
    outcome: "success",
    details: { url: saved.url, searchBase: saved.searchBase, enabled: saved.enabled, serviceAccountPasswordChanged: serviceAccountPassword !== "" },
  });
  revalidatePath(LIST_PATH);
  return { ok: true, data: { id: saved.id } };
}

export async function setLdapConfigEnabledAction(id: string, enabled: boolean): Promise<ActionResult> {
  const admin = await requireAdmin();
  if (typeof enabled !== "boolean") return { ok: false, formError: "Enabled must be on or off." };
  const config = await findLdapConfig(id);
  if (!config) return { ok: false, formError: "This configuration no longer exists." };
  if (enabled) {
    const conflict = routingConflict(config, (await listLdapConfigs()).filter((other) => other.id !== id));
    if (conflict) return { ok: false, formError: conflict };
  }
  await setLdapConfigEnabled(id, enabled);
  await recordAudit({ actor: admin.username, action: enabled ? "ldap_config.enable" : "ldap_config.disable", target: config.name, outcome: "success" });
  revalidatePath(LIST_PATH);
  return { ok: true, data: undefined };
}

export async function deleteLdapConfigAction(id: string): Promise<ActionResult<{ disabledUsers: number }>> {
  const admin = await requireAdmin();
  const config = await findLdapConfig(id);
  if (!config) return { ok: false, formError: "This configuration no longer exists." };
  const result = await deleteLdapConfig(id);
  if (!result.ok) {
    await recordAudit({ actor: admin.username, action: "ldap_config.delete", target: config.name, outcome: "failure", details: { reason: result.reason } });
    return {
      ok: false,
      formError: `Deleting ${config.name} would disable the last enabled administrator (its users are disabled with it); make another user an administrator first.`,
    };
  }
  await recordAudit({ actor: admin.username, action: "ldap_config.delete", target: config.name, outcome: "success", details: { disabledUsers: result.disabledUsers } });
  revalidatePath(LIST_PATH);
  return { ok: true, data: { disabledUsers: result.disabledUsers } };
}

/** Test LDAP Connection for a saved configuration (the row icon). */
export async function testSavedLdapConfigAction(id: string, input: LdapTestInput): Promise<ActionResult<TestReport>> {
  const admin = await requireAdmin();
  const parsed = ldapTestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const stored = await findLdapConfig(id);
  const loaded = await withStoredSecret(() => engineConfigFor(id));
  if (!loaded.ok) return { ok: false, formError: `${loaded.message} ${loaded.hint}` };
  const config = loaded.value;
  if (!stored || !config) return { ok: false, formError: "This configuration no longer exists." };
  const report = await runLdapTest(config, id, parsed.data.username, parsed.data.password || undefined, admin.username, stored.name);
  await recordLdapTest(id, report.ok, report.ok ? `${parsed.data.username}: OK` : `${parsed.data.username}: ${report.error?.code}`);
  revalidatePath(LIST_PATH);
  return { ok: true, data: report };
}

/** Test LDAP Connection with the form's unsaved values (the stored secret only if URL and DN are unchanged). */
export async function testUnsavedLdapConfigAction(id: string | undefined, values: LdapConfigInput, input: LdapTestInput): Promise<ActionResult<TestReport>> {
  const admin = await requireAdmin();
  const parsedValues = ldapConfigSchema.safeParse(values);
  if (!parsedValues.success) {
    return { ok: false, formError: "Fix the highlighted fields first.", fieldErrors: fieldErrorsFromZod(parsedValues.error.issues) };
  }
  const parsed = ldapTestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const loaded = await withStoredSecret(() => engineConfigFromInput(parsedValues.data, id));
  if (!loaded.ok) return { ok: false, formError: `${loaded.message} ${loaded.hint}` };
  const config = loaded.value;
  // The test must not reuse a pooled connection of the saved settings: drop the id.
  delete config.id;
  const report = await runLdapTest(config, id, parsed.data.username, parsed.data.password || undefined, admin.username, `${parsedValues.data.name || "unsaved"} (unsaved)`);
  return { ok: true, data: report };
}

/** The "Detect" button: reads the RootDSE and suggests a preset. */
export async function detectDirectoryAction(id: string | undefined, input: LdapConfigInput): Promise<ActionResult<ProbeResult>> {
  await requireAdmin();
  // Detect runs on a half-filled form: only the connection fields must be valid.
  const parsed = ldapConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues), formError: "Fix the URL and TLS fields first." };
  const loaded = await withStoredSecret(() => engineConfigFromInput({ ...LDAP_CONFIG_DEFAULTS, ...parsed.data }, id));
  if (!loaded.ok) return { ok: false, formError: `${loaded.message} ${loaded.hint}` };
  const config = loaded.value;
  delete config.id;
  const { result } = await probe(config);
  if (!result.ok) return { ok: false, formError: `${result.error.message} ${result.error.hint}${result.error.detail ? ` (${result.error.detail})` : ""}` };
  return { ok: true, data: result.value };
}
