import { z } from "zod";
import { normalizeDn, parseDn } from "@/lib/ldap/dn";
import { recordIdSchema } from "./record-id";

/**
 * The group form (create and edit); the same schema validates the server action. DNs are
 * checked with the engine's RFC 4514 parser, and duplicates are compared in normal form, so
 * `CN=A,DC=x` and `cn=a, dc=x` count as the same group.
 */
export const PRIORITY_RANGE = { min: 0, max: 1_000_000 } as const;

const ldapMappingSchema = z.object({
  /** The LDAP configuration whose directory must return the DN (checked when the DN is set). */
  configId: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]*$/, "Choose a configuration from the list"),
  dn: z
    .string()
    .trim()
    .max(1024, "That DN is too long")
    .superRefine((value, ctx) => {
      if (value === "") return; // empty rows are dropped below
      const parsed = parseDn(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
      else if (parsed.value.length === 0)
        ctx.addIssue({ code: "custom", message: "Enter a DN such as CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core" });
    }),
});

const settingSchema = z.object({
  key: z
    .string()
    .trim()
    .max(100, "Keep keys under 100 characters")
    .regex(/^$|^[A-Za-z0-9_.-]+$/, "Use letters, digits, '_', '-' and '.' only"),
  value: z.string().max(2000, "Keep values under 2000 characters"),
});

export const groupSchema = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(100, "Keep the name under 100 characters"),
    description: z.string().trim().max(500, "Keep the description under 500 characters"),
    priority: z
      .number({ error: "Enter a whole number" })
      .int("Enter a whole number")
      .min(PRIORITY_RANGE.min, `Enter a number from ${PRIORITY_RANGE.min} to ${PRIORITY_RANGE.max}`)
      .max(PRIORITY_RANGE.max, `Enter a number from ${PRIORITY_RANGE.min} to ${PRIORITY_RANGE.max}`),
    ldapMappings: z.array(ldapMappingSchema).max(50, "At most 50 LDAP groups per group"),
    settings: z.array(settingSchema).max(100, "At most 100 settings per group"),
  })
  .superRefine((group, ctx) => {
    const seenDns = new Map<string, number>();
    group.ldapMappings.forEach((mapping, index) => {
      if (!mapping.dn) return;
      if (!mapping.configId)
        ctx.addIssue({
          code: "custom",
          path: ["ldapMappings", index, "configId"],
          message: "Choose the LDAP configuration that returns this group",
        });
      const normal = normalizeDn(mapping.dn);
      if (!normal.ok) return;
      // The same DN may be mapped once per configuration: each directory grants it on its own.
      const key = `${mapping.configId}\n${normal.value}`;
      const first = seenDns.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["ldapMappings", index, "dn"],
          message: `The same LDAP group is already listed in row ${first + 1}`,
        });
      } else seenDns.set(key, index);
    });
    const seenKeys = new Map<string, number>();
    group.settings.forEach((setting, index) => {
      if (!setting.key) {
        if (setting.value.trim())
          ctx.addIssue({ code: "custom", path: ["settings", index, "key"], message: "Enter a key for this value" });
        return;
      }
      const first = seenKeys.get(setting.key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["settings", index, "key"],
          message: `The key ${setting.key} is already set in row ${first + 1}`,
        });
      } else seenKeys.set(setting.key, index);
    });
  })
  .transform((group) => ({
    ...group,
    // Empty rows are the form's blank lines, not data.
    ldapMappings: group.ldapMappings.filter((mapping) => mapping.dn !== ""),
    settings: group.settings.filter((setting) => setting.key !== ""),
  }));

export type GroupFormValues = z.input<typeof groupSchema>;
export type GroupInput = z.output<typeof groupSchema>;

/** The LDAP group picker: which configuration to search, and the text the name contains. */
export const ldapGroupSearchSchema = z.object({
  configId: recordIdSchema("Choose an LDAP configuration"),
  text: z.string().trim().max(100, "Keep the search under 100 characters"),
});

export type LdapGroupSearchInput = z.infer<typeof ldapGroupSearchSchema>;

/** Delete: the group's id only. */
export const groupIdSchema = z.object({ id: recordIdSchema("Unknown group.") });

/** Save an existing group: its id and the form's values. */
export const updateGroupSchema = z.object({ id: recordIdSchema("Unknown group."), values: groupSchema });
