/**
 * The export: every LDAP configuration and group as one configuration document (schema.ts),
 * without any secret. Importing it into the same portal changes nothing.
 */
import { recordAudit } from "@/lib/db/audit";
import { readConfigDocumentState, type ConfigDocumentState } from "@/lib/db/config-document";
import {
  CONFIG_FIELDS,
  DOCUMENT_VERSION,
  PASSWORD_ENV_FIELD,
  type ConfigDocument,
  type DocumentConfigValues,
  type DocumentGroup,
  type SystemKey,
} from "./schema";

/** The document of a state: configurations in routing order, groups by priority. Pure. */
export function configDocumentOf(state: ConfigDocumentState): ConfigDocument {
  const fields = CONFIG_FIELDS.filter((field) => field !== PASSWORD_ENV_FIELD) as (keyof DocumentConfigValues)[];
  return {
    version: DOCUMENT_VERSION,
    // The password never leaves the database: an import names the variable that holds it.
    configs: state.configs.map(
      (config) => Object.fromEntries(fields.map((field) => [field, config.values[field]])) as DocumentConfigValues,
    ),
    groups: state.groups.map((group): DocumentGroup => {
      const ldapMappings = group.ldapMappings.map((mapping) => ({ configuration: mapping.configName, dn: mapping.dn }));
      const settings = group.settings.map(({ key, value }) => ({ key, value }));
      return group.systemKey
        ? { systemKey: group.systemKey as SystemKey, name: group.name, ldapMappings, settings }
        : { name: group.name, description: group.description, priority: group.priority, ldapMappings, settings };
    }),
  };
}

/** The portal's document as it is now; audited (who exported the configuration, and how much). */
export async function exportConfigDocument(actor: string): Promise<ConfigDocument> {
  const document = configDocumentOf(await readConfigDocumentState());
  await recordAudit({
    actor,
    action: "config.export",
    target: "configuration document",
    outcome: "success",
    details: { configs: document.configs.length, groups: document.groups.length },
  });
  return document;
}
