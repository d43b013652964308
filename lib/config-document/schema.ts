/**
 * The configuration document: the portal's LDAP configurations and groups as one JSON file, for
 * export, import and provisioning at start. Each field is checked by the schema of its form
 * (lib/ldap/config.ts, lib/validation/group.ts), with the same messages; unknown keys are refused.
 * Pure: unit tested.
 *
 *   { "version": 1,
 *     "configs": [{ "name": "Kasm AD", "url": "ldaps://…", …, "serviceAccountPasswordEnv": "LDAP_BIND_PW" }],
 *     "groups": [{ "name": "LDAP Group 1", "description": "", "priority": 10,
 *                  "ldapMappings": [{ "configuration": "Kasm AD", "dn": "CN=kasm_group_1,…" }],
 *                  "settings": [{ "key": "theme", "value": "dark" }] },
 *                { "systemKey": "administrators", "name": "Administrators", "ldapMappings": [], "settings": [] }] }
 */
import { z } from "zod";
import type { SystemGroupKey } from "@/lib/db/groups";
import { ldapConfigSchema, type LdapConfigInput } from "@/lib/ldap/config";
import { groupSchema, PRIORITY_RANGE } from "@/lib/validation/group";

export const DOCUMENT_VERSION = 1;

/** The built-in groups: matched by this key, they take LDAP mappings and settings only. */
export const SYSTEM_KEYS = ["administrators", "all_users"] as const satisfies readonly SystemGroupKey[];
export type SystemKey = (typeof SYSTEM_KEYS)[number];

/**
 * The variables an import may read a password from. An administrator can import from the admin
 * page, so the names are limited to the ones meant for it: any other variable of the server (the
 * database URL, the session secret, a cloud credential) never reaches a directory of their choosing.
 */
export const PASSWORD_VARIABLE_PREFIX = "LDAP_";

/** The stored fields of a configuration: every field of its form but the (write-only) password. */
export type DocumentConfigValues = Omit<LdapConfigInput, "serviceAccountPassword">;

/** A configuration as the document carries it: its values, and where its password comes from. */
export type DocumentConfig = DocumentConfigValues & { serviceAccountPasswordEnv?: string };

export interface DocumentMapping {
  /** The name of the LDAP configuration whose directory returns the DN (in the document or the portal). */
  configuration: string;
  dn: string;
}

export interface DocumentGroup {
  /** Absent only for a built-in group named by its systemKey. */
  name?: string;
  systemKey?: SystemKey;
  /** Absent: "" for a group of the portal's own; a built-in group's stays as it is. */
  description?: string;
  /** Required for a group of the portal's own; a built-in group's stays as it is. */
  priority?: number;
  ldapMappings: DocumentMapping[];
  settings: { key: string; value: string }[];
}

export interface ConfigDocument {
  version: typeof DOCUMENT_VERSION;
  configs: DocumentConfig[];
  groups: DocumentGroup[];
}

const PASSWORD_FIELD = "serviceAccountPassword";
export const PASSWORD_ENV_FIELD = "serviceAccountPasswordEnv";

/** The document's configuration fields, in the form's order. */
export const CONFIG_FIELDS = [
  ...Object.keys(ldapConfigSchema.shape).filter((field) => field !== PASSWORD_FIELD),
  PASSWORD_ENV_FIELD,
] as (keyof DocumentConfig)[];

const GROUP_FIELDS = ["name", "systemKey", "description", "priority", "ldapMappings", "settings"] as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const passwordEnvSchema = z
  .string({ error: "Name the environment variable that holds the Service Account Password, e.g. LDAP_BIND_PW" })
  .regex(ENV_NAME, "Name an environment variable: letters, digits and _, not starting with a digit")
  .refine(
    (name) => name.startsWith(PASSWORD_VARIABLE_PREFIX),
    `Name a variable starting with ${PASSWORD_VARIABLE_PREFIX}, e.g. LDAP_BIND_PW: an import reads no other variable of the server`,
  );

/** Only the listed keys, each of any value: the field checks come after, from the form's schema. */
function keysOnly(fields: readonly string[]) {
  return z.strictObject(Object.fromEntries(fields.map((field) => [field, z.unknown().optional()])));
}

/** Copies the form schema's issues (paths within the entry) onto the document. */
function addIssues(
  ctx: z.RefinementCtx,
  issues: readonly { path: PropertyKey[]; message: string }[],
  path: (string | number)[] = [],
) {
  for (const issue of issues) {
    ctx.addIssue({ code: "custom", message: issue.message, path: [...path, ...(issue.path as (string | number)[])] });
  }
}

const configSchema = keysOnly(CONFIG_FIELDS).transform((entry, ctx): DocumentConfig => {
  const { [PASSWORD_ENV_FIELD]: passwordEnv, ...values } = entry;
  const env = passwordEnv === undefined ? undefined : passwordEnvSchema.safeParse(passwordEnv);
  // The form's schema, with its defaults for the fields left out; the password never comes from the file.
  const parsed = ldapConfigSchema.safeParse({ ...values, [PASSWORD_FIELD]: "" });
  if (!parsed.success) addIssues(ctx, parsed.error.issues);
  if (env && !env.success) addIssues(ctx, env.error.issues, [PASSWORD_ENV_FIELD]);
  if (!parsed.success || (env && !env.success)) return z.NEVER;
  const { [PASSWORD_FIELD]: password, ...config } = parsed.data;
  void password;
  return env ? { ...config, serviceAccountPasswordEnv: env.data } : config;
});

/** Document order within a group entry: its fields in GROUP_FIELDS order, then rows by index. */
function pathOrder(a: (string | number)[], b: (string | number)[]): number {
  const rank = (path: (string | number)[]) => [
    GROUP_FIELDS.indexOf(path[0] as (typeof GROUP_FIELDS)[number]),
    Number(path[1] ?? -1),
  ];
  const [fieldA, rowA] = rank(a);
  const [fieldB, rowB] = rank(b);
  return fieldA! - fieldB! || rowA! - rowB!;
}

const mappingSchema = z.strictObject({
  configuration: z
    .string({ error: "Name the LDAP configuration that returns this group" })
    .trim()
    .min(1, "Name the LDAP configuration that returns this group"),
  dn: z.unknown().optional(),
});

const settingSchema = z.strictObject({ key: z.unknown().optional(), value: z.unknown().optional() });

const groupEntrySchema = z
  .strictObject({
    name: z.unknown().optional(),
    description: z.unknown().optional(),
    priority: z.unknown().optional(),
    systemKey: z
      .enum(SYSTEM_KEYS, { error: `Use "administrators" or "all_users" (the built-in groups), or leave systemKey out` })
      .optional(),
    ldapMappings: z.array(mappingSchema, { error: "List the LDAP mappings as an array" }).default([]),
    settings: z.array(settingSchema, { error: "List the settings as an array of { key, value }" }).default([]),
  })
  .transform((entry, ctx): DocumentGroup => {
    const { systemKey } = entry;
    if (systemKey) {
      for (const field of ["description", "priority"] as const) {
        if (entry[field] === undefined) continue;
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `${String(entry.name ?? systemKey)} is a built-in group: the document sets only its ldapMappings and settings`,
        });
        return z.NEVER;
      }
    }
    // The group form's schema: one description of every rule. Each configuration name stands in
    // for a configuration id there, so a DN listed twice for one configuration is refused as in the form.
    const configIds = new Map<string, string>();
    const configIdOf = (name: string) => {
      const key = name.toLowerCase();
      if (!configIds.has(key)) configIds.set(key, `c${configIds.size}`);
      return configIds.get(key)!;
    };
    const parsed = groupSchema.safeParse({
      name: entry.name ?? (systemKey ? systemKey : ""),
      description: entry.description ?? "",
      priority: entry.priority ?? PRIORITY_RANGE.min,
      ldapMappings: entry.ldapMappings.map((mapping) => ({
        configId: configIdOf(mapping.configuration),
        dn: mapping.dn ?? "",
      })),
      settings: entry.settings.map((setting) => ({ key: setting.key ?? "", value: setting.value ?? "" })),
    });
    // The form drops its blank rows; in a document a blank DN or key is a mistake.
    const blank = (value: unknown) => value === undefined || (typeof value === "string" && value.trim() === "");
    const issues: { path: (string | number)[]; message: string }[] = [
      ...(parsed.success
        ? []
        : parsed.error.issues.map(({ path, message }) => ({ path: path as (string | number)[], message }))),
      ...entry.ldapMappings.flatMap((mapping, index) =>
        blank(mapping.dn)
          ? [
              {
                path: ["ldapMappings", index, "dn"],
                message: "Enter a DN such as CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core",
              },
            ]
          : [],
      ),
      ...entry.settings.flatMap((setting, index) =>
        blank(setting.key) ? [{ path: ["settings", index, "key"], message: "Enter a key for this value" }] : [],
      ),
    ];
    if (issues.length > 0 || !parsed.success) {
      addIssues(
        ctx,
        issues.sort((a, b) => pathOrder(a.path, b.path)),
      );
      return z.NEVER;
    }
    const group = parsed.data;
    return {
      ...(entry.name !== undefined || !systemKey ? { name: group.name } : {}),
      ...(systemKey ? { systemKey } : {}),
      ...(entry.description !== undefined ? { description: group.description } : {}),
      ...(entry.priority !== undefined ? { priority: group.priority } : {}),
      ldapMappings: entry.ldapMappings.map((mapping, index) => ({
        configuration: mapping.configuration,
        dn: group.ldapMappings[index]!.dn,
      })),
      settings: group.settings,
    };
  });

/** The first entry of `entries` with the same key as an earlier one, and that earlier one's index. */
function firstDuplicate<T>(entries: T[], keyOf: (entry: T) => string | number | undefined) {
  const seen = new Map<string | number, number>();
  for (const [index, entry] of entries.entries()) {
    const key = keyOf(entry);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first !== undefined) return { index, first };
    seen.set(key, index);
  }
  return undefined;
}

export const configDocumentSchema = z
  .strictObject({
    version: z.literal(DOCUMENT_VERSION, {
      error: `This portal reads version ${DOCUMENT_VERSION} documents: set "version": ${DOCUMENT_VERSION}`,
    }),
    configs: z.array(configSchema, { error: "List the LDAP configurations as an array" }).default([]),
    groups: z.array(groupEntrySchema, { error: "List the groups as an array" }).default([]),
  })
  .transform((document, ctx): ConfigDocument => {
    // Names are unique regardless of case, as the forms check them.
    const config = firstDuplicate(document.configs, (entry) => entry.name.toLowerCase());
    if (config) {
      ctx.addIssue({
        code: "custom",
        path: ["configs", config.index, "name"],
        message: `The document already has a configuration named "${document.configs[config.index]!.name}" (configs[${config.first}])`,
      });
      return z.NEVER;
    }
    const checks = [
      {
        field: "name",
        duplicate: firstDuplicate(document.groups, (entry) => entry.name?.toLowerCase()),
        message: (group: DocumentGroup, first: number) =>
          `The document already has a group named "${group.name}" (groups[${first}])`,
      },
      {
        field: "systemKey",
        duplicate: firstDuplicate(document.groups, (entry) => entry.systemKey),
        message: (group: DocumentGroup, first: number) =>
          `The document already lists the built-in group "${group.systemKey}" (groups[${first}])`,
      },
      {
        field: "priority",
        duplicate: firstDuplicate(document.groups, (entry) => entry.priority),
        message: (group: DocumentGroup, first: number) =>
          `Priority ${group.priority} is already used by group ${document.groups[first]!.name ?? document.groups[first]!.systemKey} (groups[${first}])`,
      },
    ];
    const failed = checks.filter((check) => check.duplicate).sort((a, b) => a.duplicate!.index - b.duplicate!.index)[0];
    if (failed) {
      const { index, first } = failed.duplicate!;
      ctx.addIssue({
        code: "custom",
        path: ["groups", index, failed.field],
        message: failed.message(document.groups[index]!, first),
      });
      return z.NEVER;
    }
    return { version: DOCUMENT_VERSION, configs: document.configs, groups: document.groups };
  });

/** A path as the document's reader finds it: `configs[1].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");
}

/** What each kind of object may hold, for the message about an unknown key. */
function fieldsAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return ["version", "configs", "groups"];
  const [list, , child] = path;
  if (list === "configs") return CONFIG_FIELDS;
  if (child === "ldapMappings") return Object.keys(mappingSchema.shape);
  if (child === "settings") return Object.keys(settingSchema.shape);
  return GROUP_FIELDS;
}

/** One issue as `path: message`; an unknown key is named by its own path. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const [key] = issue.keys;
    if (key === PASSWORD_FIELD && issue.path[0] === "configs") {
      return `${formatPath([...issue.path, key])}: a document never holds a password: put it in an environment variable and name that variable in ${PASSWORD_ENV_FIELD}`;
    }
    return `${formatPath([...issue.path, key ?? "?"])}: unknown field (the fields here are ${fieldsAt(issue.path).join(", ")})`;
  }
  const where = formatPath(issue.path);
  return where ? `${where}: ${issue.message}` : issue.message;
}

export type DocumentParse = { ok: true; document: ConfigDocument } | { ok: false; error: string };

/** Parses the document's text: the document, or its first problem named by its path. */
export function parseConfigDocument(text: string): DocumentParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The document is not JSON: ${(error as Error).message}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return {
      ok: false,
      error: 'The document must be a JSON object: { "version": 1, "configs": [...], "groups": [...] }',
    };
  }
  const parsed = configDocumentSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: formatIssue(parsed.error.issues[0]!) };
  return { ok: true, document: parsed.data };
}
