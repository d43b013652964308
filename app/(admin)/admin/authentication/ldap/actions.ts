"use server";

import { revalidatePath } from "next/cache";
import { fieldErrorsFromZod, type ActionResult } from "@/lib/action-result";
import { requireAdmin } from "@/lib/auth/guards";
import { routingConflict } from "@/lib/configurations/routing";
import { configurationFieldErrors, deleteConfiguration, engineConfigFromInput, runLdapTest, saveConfiguration, withStoredSecret } from "@/lib/configurations/service";
import type { TestReport } from "@/lib/configurations/test-report";
import { recordAudit } from "@/lib/db/audit";
import { engineConfigFor, findLdapConfig, listLdapConfigs, recordLdapTest, setLdapConfigEnabled } from "@/lib/db/ldap-configs";
import { probe, type ProbeResult } from "@/lib/ldap";
import { LDAP_CONFIG_DEFAULTS, ldapConfigSchema, ldapConnectionSchema, type LdapConfigFields } from "@/lib/ldap/config";
import { ldapTestSchema, type LdapTestInput } from "@/lib/validation/ldap-test";

const LIST_PATH = "/admin/authentication/ldap";

/** Creates (id undefined) or updates a configuration. The password is write-only: never returned. */
export async function saveLdapConfigAction(id: string | undefined, input: LdapConfigFields): Promise<ActionResult<{ id: string }>> {
  const admin = await requireAdmin();
  const parsed = ldapConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues) };
  const values = parsed.data;
  if (id && !(await findLdapConfig(id))) return { ok: false, formError: "This configuration no longer exists." };
  const fieldErrors = await configurationFieldErrors(values, id);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const saved = await saveConfiguration(id, values, admin.username);
  revalidatePath(LIST_PATH);
  return { ok: true, data: saved };
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
  const result = await deleteConfiguration(id, config.name, admin.username);
  if (!result.ok) {
    return {
      ok: false,
      formError: `Deleting ${config.name} would disable the last enabled administrator (its users are disabled with it); make another user an administrator first.`,
    };
  }
  revalidatePath(LIST_PATH);
  return { ok: true, data: { disabledUsers: result.disabledUsers } };
}

/** The dialog's input for the engine: an empty password means look-up mode. */
function testOf(input: LdapTestInput): { username: string; password: string | undefined } {
  return { username: input.username, password: input.password || undefined };
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
  const report = await runLdapTest(config, id, testOf(parsed.data), { actor: admin.username, configName: stored.name });
  await recordLdapTest(id, report.ok, report.ok ? `${parsed.data.username}: OK` : `${parsed.data.username}: ${report.error?.code}`);
  revalidatePath(LIST_PATH);
  return { ok: true, data: report };
}

/** Test LDAP Connection with the form's unsaved values (the stored secret only if URL and DN are unchanged). */
export async function testUnsavedLdapConfigAction(id: string | undefined, values: LdapConfigFields, input: LdapTestInput): Promise<ActionResult<TestReport>> {
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
  const report = await runLdapTest(config, id, testOf(parsed.data), {
    actor: admin.username,
    configName: `${parsedValues.data.name || "unsaved"} (unsaved)`,
  });
  return { ok: true, data: report };
}

/** The "Detect" button: reads the RootDSE and suggests a preset. */
export async function detectDirectoryAction(id: string | undefined, input: LdapConfigFields): Promise<ActionResult<ProbeResult>> {
  await requireAdmin();
  // Detect runs on a half-filled form: only the connection fields must be valid.
  const parsed = ldapConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error.issues), formError: "Fix the URL and TLS fields first." };
  const loaded = await withStoredSecret(() => engineConfigFromInput({ ...LDAP_CONFIG_DEFAULTS, ...parsed.data }, id));
  if (!loaded.ok) return { ok: false, formError: `${loaded.message} ${loaded.hint}` };
  const { result } = await probe(loaded.value);
  if (!result.ok) return { ok: false, formError: `${result.error.message} ${result.error.hint}${result.error.detail ? ` (${result.error.detail})` : ""}` };
  return { ok: true, data: result.value };
}
