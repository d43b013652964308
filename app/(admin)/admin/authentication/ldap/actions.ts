"use server";

import { z } from "zod";
import { ActionError, adminAction } from "@/lib/admin-action";
import { fieldErrorsFromZod } from "@/lib/action-result";
import {
  configurationFieldErrors,
  deleteConfiguration,
  engineConfigFromInput,
  runLdapTest,
  saveConfiguration,
  setConfigurationEnabled,
  withStoredSecret,
} from "@/lib/configurations/service";
import { engineConfigFor, findLdapConfig, recordLdapTest } from "@/lib/db/ldap-configs";
import { syncConfiguration } from "@/lib/directory-sync/run";
import { probe } from "@/lib/ldap";
import { LDAP_CONFIG_DEFAULTS, ldapConfigSchema, ldapConnectionSchema } from "@/lib/ldap/config";
import { recordIdSchema } from "@/lib/validation/record-id";
import { ldapTestSchema, type LdapTestInput } from "@/lib/validation/ldap-test";

const LIST_PATH = "/admin/authentication/ldap";
const GONE = "This configuration no longer exists.";
const configId = recordIdSchema("Unknown configuration.");

/** A stored secret the encryption key cannot read, as the form's error with its hint. */
async function loadOrRefuse<T>(load: () => Promise<T>): Promise<T> {
  const loaded = await withStoredSecret(load);
  if (!loaded.ok) throw new ActionError({ formError: `${loaded.message} ${loaded.hint}` });
  return loaded.value;
}

/** The dialog's input for the engine: an empty password means look-up mode. */
function testOf(input: LdapTestInput): { username: string; password: string | undefined } {
  return { username: input.username, password: input.password || undefined };
}

/** Creates (no id) or updates a configuration. The password is write-only: never returned. */
export const saveLdapConfigAction = adminAction({
  input: z.object({ id: configId.optional(), values: ldapConfigSchema }),
  invalid: { formError: GONE, fieldsOf: "values" },
  revalidate: [LIST_PATH],
  async run({ id, values }, admin) {
    if (id && !(await findLdapConfig(id))) throw new ActionError({ formError: GONE });
    const fieldErrors = await configurationFieldErrors(values, id);
    if (Object.keys(fieldErrors).length > 0) throw new ActionError({ fieldErrors });
    return { data: await saveConfiguration(id, values, admin.username) };
  },
});

export const setLdapConfigEnabledAction = adminAction({
  input: z.object({ id: configId, enabled: z.boolean() }),
  invalid: { formError: "Enabled must be on or off." },
  revalidate: [LIST_PATH],
  async run({ id, enabled }, admin) {
    const result = await setConfigurationEnabled(id, enabled, admin.username);
    if (!result.ok) throw new ActionError({ formError: result.reason === "gone" ? GONE : result.message });
    return { data: undefined };
  },
});

export const deleteLdapConfigAction = adminAction({
  input: z.object({ id: configId }),
  invalid: { formError: GONE },
  revalidate: [LIST_PATH],
  async run({ id }, admin) {
    const config = await findLdapConfig(id);
    if (!config) throw new ActionError({ formError: GONE });
    const result = await deleteConfiguration(id, config.name, admin.username);
    if (!result.ok) {
      throw new ActionError({
        formError: `Deleting ${config.name} would disable the last enabled administrator (its users are disabled with it); make another user an administrator first.`,
      });
    }
    return { data: { disabledUsers: result.disabledUsers } };
  },
});

/** Test LDAP Connection for a saved configuration (the row icon). */
export const testSavedLdapConfigAction = adminAction({
  input: z.object({ id: configId, test: ldapTestSchema }),
  invalid: { formError: GONE, fieldsOf: "test" },
  revalidate: [LIST_PATH],
  async run({ id, test }, admin) {
    const stored = await findLdapConfig(id);
    const config = await loadOrRefuse(() => engineConfigFor(id));
    if (!stored || !config) throw new ActionError({ formError: GONE });
    const report = await runLdapTest(config, id, testOf(test), { actor: admin.username, configName: stored.name });
    await recordLdapTest(id, report.ok, report.ok ? `${test.username}: OK` : `${test.username}: ${report.error?.code}`);
    return { data: report };
  },
});

/** Test LDAP Connection with the form's unsaved values (the stored secret only where it may be reused). */
export const testUnsavedLdapConfigAction = adminAction({
  input: z.object({ id: configId.optional(), values: ldapConfigSchema, test: ldapTestSchema }),
  invalid: (issues) => {
    const values = fieldErrorsFromZod(issues, "values");
    if (Object.keys(values).length > 0) return { formError: "Fix the highlighted fields first.", fieldErrors: values };
    const test = fieldErrorsFromZod(issues, "test");
    return Object.keys(test).length > 0 ? { fieldErrors: test } : { formError: GONE };
  },
  async run({ id, values, test }, admin) {
    const config = await loadOrRefuse(() => engineConfigFromInput(values, id));
    const configName = `${values.name || "unsaved"} (unsaved)`;
    return { data: await runLdapTest(config, id, testOf(test), { actor: admin.username, configName }) };
  },
});

/** The "Detect" button: reads the RootDSE and suggests a preset. Only the connection fields must be valid. */
export const detectDirectoryAction = adminAction({
  input: z.object({ id: configId.optional(), values: ldapConnectionSchema }),
  invalid: (issues) => ({
    fieldErrors: fieldErrorsFromZod(issues, "values"),
    formError: "Fix the URL and TLS fields first.",
  }),
  async run({ id, values }) {
    const config = await loadOrRefuse(() => engineConfigFromInput({ ...LDAP_CONFIG_DEFAULTS, ...values }, id));
    const { result } = await probe(config);
    if (!result.ok) {
      const { message, hint, detail } = result.error;
      throw new ActionError({ formError: `${message} ${hint}${detail ? ` (${detail})` : ""}` });
    }
    return { data: result.value };
  },
});

/**
 * Sync Now, Preview, and Apply (a held run the administrator reviewed: past the Max Disable
 * Share, never past an uncertain answer). The sync writes its own audit events.
 */
export const syncLdapConfigAction = adminAction({
  input: z.object({ id: configId, mode: z.enum(["sync", "preview", "apply_held"]) }),
  invalid: { formError: GONE },
  revalidate: [LIST_PATH],
  async run({ id, mode }, admin) {
    if (!(await findLdapConfig(id))) throw new ActionError({ formError: GONE });
    const result = await syncConfiguration(id, {
      trigger: "manual",
      dryRun: mode === "preview",
      overrideShare: mode === "apply_held",
      actor: admin.username,
    });
    if (result.outcome === "busy") throw new ActionError({ formError: result.reason! });
    return { data: { runId: result.runId!, outcome: result.outcome } };
  },
});
