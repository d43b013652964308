/**
 * The one description of an LDAP configuration: its fields, their defaults and their rules.
 * The admin form, its server actions, the stored row, the CLI's file and the engine all read it.
 * Pure: forms import it.
 */
import { z } from "zod";
import { parseDn } from "./dn";
import { NO_DOMAIN } from "./domains";
import { ldapError, type LdapError } from "./errors";
import { validateFilterTemplate } from "./filter";
import { splitList } from "./list";
import { ALLOWED_GROUP_PLACEHOLDER } from "./presets";
import { parseLdapUrl, parseUrlList } from "./url";

export const TIMEOUT_RANGE_MS = { min: 100, max: 120_000 } as const;
export const NESTING_CACHE_RANGE_SECONDS = { min: 0, max: 3_600 } as const;
const SEARCH_PLACEHOLDERS = ["0", "username", "login"];
const GROUP_PLACEHOLDERS = ["0", "dn", "username"];
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const PEM_CERTIFICATES = /^(-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*)+$/;

/** Trimmed text that `check` accepts (undefined) or refuses (the message); "" when left out. */
const checkedText = (check: (value: string) => string | undefined) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const message = check(value);
      if (message) ctx.addIssue({ code: "custom", message });
    });

/** Text checked by `check` when not empty; `required` refuses empty text with "Enter the …". */
const optionalText = (label: string, required: boolean, check: (value: string) => string | undefined) =>
  checkedText((value) => (value ? check(value) : required ? `Enter the ${label}` : undefined)).prefault("");

const dn = (label: string, required: boolean) =>
  optionalText(label, required, (value) => {
    const parsed = parseDn(value);
    return parsed.ok ? undefined : parsed.error.message;
  });

const filter = (label: string, placeholders: string[], required: boolean) =>
  optionalText(label, required, (value) => {
    if (value.includes(ALLOWED_GROUP_PLACEHOLDER)) {
      return `Replace ${ALLOWED_GROUP_PLACEHOLDER} with the DN of the group whose members may sign in`;
    }
    const parsed = validateFilterTemplate(value, placeholders);
    return parsed.ok ? undefined : parsed.error.message;
  });

const timeout = (label: string, defaultMs: number) =>
  z
    .number({ error: `Enter the ${label} in milliseconds` })
    .int(`Enter a whole number of milliseconds`)
    .min(TIMEOUT_RANGE_MS.min, `${label} must be at least ${TIMEOUT_RANGE_MS.min} ms`)
    .max(TIMEOUT_RANGE_MS.max, `${label} must be at most ${TIMEOUT_RANGE_MS.max} ms`)
    .default(defaultMs);

/** A period in whole minutes, 0 meaning off, at most a week. */
const minutes = (label: string, defaultMinutes: number, offHint: string) =>
  z
    .number({ error: `Enter the ${label} in minutes` })
    .int("Enter a whole number of minutes")
    .min(0, `Enter 0 or more minutes (${offHint})`)
    .max(7 * 24 * 60, `${label} must be at most ${7 * 24 * 60} minutes (a week)`)
    .default(defaultMinutes);

/** A list typed one per line or comma-separated, each entry checked. */
const list = (check: (value: string) => string | undefined) =>
  checkedText((value) => (value ? check(value) : undefined)).prefault("");

const fields = z.object({
  name: z.string().trim().min(1, "Enter a name").max(100, "Keep the name under 100 characters").prefault(""),
  url: checkedText((value) => {
    const parsed = parseLdapUrl(value);
    return parsed.ok ? undefined : parsed.error.message;
  }).prefault(""),
  failoverUrls: list((value) => {
    const parsed = parseUrlList(value);
    return parsed.ok ? undefined : parsed.error.message;
  }),
  searchBase: dn("Search Base", true),
  searchFilter: filter("Search Filter", SEARCH_PLACEHOLDERS, true),
  groupMembershipFilter: filter("Group Membership Filter", GROUP_PLACEHOLDERS, false),
  emailAttribute: z
    .string()
    .trim()
    .regex(/^[a-zA-Z][\w-]*$|^\d+(\.\d+)+$/, "Enter an attribute name such as mail")
    .default("mail"),
  serviceAccountDn: dn("Service Account DN", false),
  /** Write-only: empty on edit means "keep the stored password". */
  serviceAccountPassword: z.string().max(1024).default(""),
  searchSubtree: z.boolean().default(true),
  autoCreateAppUser: z.boolean().default(true),
  enabled: z.boolean().default(true),
  alternateDomains: list((value) => {
    const bad = splitList(value.toLowerCase()).find((domain) => domain !== NO_DOMAIN && !DOMAIN.test(domain));
    return bad ? `"${bad}" is not a domain (use e.g. kasm.core, or * for usernames without a domain)` : undefined;
  }),
  startTls: z.boolean().default(false),
  verifyCertificate: z.boolean().default(true),
  caCertificate: optionalText("CA Certificate", false, (value) =>
    PEM_CERTIFICATES.test(value)
      ? undefined
      : "Paste one or more certificates in PEM form (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
  ),
  connectTimeoutMs: timeout("Connect Timeout", 5_000),
  operationTimeoutMs: timeout("Operation Timeout", 10_000),
  /** Expand parent groups level by level when the directory cannot do it (no AD in-chain rule). */
  nestedGroups: z.boolean().default(true),
  /**
   * How long the nesting between groups found by the portal is reused for sign-ins (0: never).
   * The user's own groups are always read fresh; Test LDAP Connection always reads everything.
   */
  nestedGroupsCacheSeconds: z
    .number({ error: "Enter a whole number of seconds" })
    .int("Enter a whole number of seconds")
    .min(NESTING_CACHE_RANGE_SECONDS.min, "Enter 0 or more seconds (0 turns the cache off)")
    .max(NESTING_CACHE_RANGE_SECONDS.max, `Nesting cache must be at most ${NESTING_CACHE_RANGE_SECONDS.max} seconds`)
    .default(60),
  /** Portable "only members of this group may sign in", checked with nested resolution. */
  requiredGroupDn: dn("Required Group", false),
  displayOrder: z.number({ error: "Enter a whole number" }).int("Enter a whole number").min(0).max(10_000).default(0),
  /** Minutes between directory syncs of this configuration's users (0: no scheduled sync). */
  syncIntervalMinutes: minutes("Sync Interval", 15, "0 turns the scheduled sync off"),
  /** A sync that would disable more than this share of the configuration's users is held for review. */
  maxDisableSharePercent: z
    .number({ error: "Enter a whole number of percent" })
    .int("Enter a whole number of percent")
    .min(0, "Enter 0 to 100 percent")
    .max(100, "Enter 0 to 100 percent")
    .default(10),
  /** Minutes between directory look-ups of a signed-in user while their session is in use (0: off). */
  sessionRevalidationMinutes: minutes("Session Revalidation", 5, "0 turns revalidation off"),
});

/** The fields only the portal uses (naming, routing, provisioning); the engine never sees them. */
const PORTAL_FIELDS = {
  name: true,
  enabled: true,
  autoCreateAppUser: true,
  alternateDomains: true,
  displayOrder: true,
  syncIntervalMinutes: true,
  maxDisableSharePercent: true,
  sessionRevalidationMinutes: true,
} as const;

/** Where and how to connect: what Detect needs from a half-filled form. */
const CONNECTION_FIELDS = {
  url: true,
  failoverUrls: true,
  serviceAccountDn: true,
  serviceAccountPassword: true,
  startTls: true,
  verifyCertificate: true,
  caCertificate: true,
  connectTimeoutMs: true,
  operationTimeoutMs: true,
} as const;

function startTlsOnlyOnLdap(values: { startTls: boolean; url: string; failoverUrls: string }, ctx: z.RefinementCtx) {
  if (!values.startTls) return;
  if ([values.url, ...splitList(values.failoverUrls)].some((url) => url.toLowerCase().startsWith("ldaps://"))) {
    ctx.addIssue({
      code: "custom",
      path: ["startTls"],
      message:
        "StartTLS upgrades ldap:// connections; with StartTLS every URL, failover ones included, must be ldap://",
    });
  }
}

/** A configuration as the administrator edits and the database stores it. */
export const ldapConfigSchema = fields.superRefine(startTlsOnlyOnLdap);

const engineFields = fields.omit(PORTAL_FIELDS);
const engineSchema = engineFields.superRefine(startTlsOnlyOnLdap);

/** The CLI's configuration file: the engine's fields only, unknown keys refused; lists may be arrays. */
export const ldapConfigFileSchema = z.preprocess(
  (file) =>
    isRecord(file) && Array.isArray(file.failoverUrls) ? { ...file, failoverUrls: file.failoverUrls.join("\n") } : file,
  engineFields.strict().superRefine(startTlsOnlyOnLdap),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * The fields Detect needs (a half-filled form): where and how to connect, and the Search Base as
 * typed so far (unchecked: Detect reads the directory's naming contexts when it is empty).
 */
export const ldapConnectionSchema = fields
  .pick(CONNECTION_FIELDS)
  .extend({ searchBase: z.string().trim().prefault("") })
  .superRefine(startTlsOnlyOnLdap);

/** A configuration's values, parsed: trimmed, checked, every field present. */
export type LdapConfigInput = z.output<typeof ldapConfigSchema>;
/** What a form or a server action receives before parsing (fields with a default may be missing). */
export type LdapConfigFields = z.input<typeof ldapConfigSchema>;

function defaultsOf<Shape extends z.ZodRawShape>(shape: Shape): { [K in keyof Shape]: z.output<Shape[K]> } {
  const entries = Object.entries(shape).map(([key, schema]) => [
    key,
    (schema._zod.def as { defaultValue?: unknown }).defaultValue,
  ]);
  return Object.fromEntries(entries) as { [K in keyof Shape]: z.output<Shape[K]> };
}

/** A new configuration's form: every field at its default. */
export const LDAP_CONFIG_DEFAULTS: LdapConfigInput = defaultsOf(fields.shape);

type PortalField = keyof typeof PORTAL_FIELDS;

/** Everything the engine needs to talk to one directory. */
export type LdapConfig = Omit<LdapConfigInput, PortalField | "failoverUrls" | "caCertificate" | "requiredGroupDn"> & {
  failoverUrls: string[];
  caCertificate?: string;
  requiredGroupDn?: string;
};

/** Turns validated values (form, stored row or file) into what the engine takes. */
export function toLdapConfig(
  values: Omit<LdapConfigInput, PortalField> & Partial<Pick<LdapConfigInput, PortalField>>,
): LdapConfig {
  // What only the portal reads stays out of the engine's configuration.
  const engine = Object.fromEntries(Object.entries(values).filter(([field]) => !(field in PORTAL_FIELDS))) as Omit<
    LdapConfigInput,
    PortalField
  >;
  return {
    ...engine,
    failoverUrls: splitList(engine.failoverUrls),
    caCertificate: engine.caCertificate || undefined,
    requiredGroupDn: engine.requiredGroupDn || undefined,
  };
}

/** The engine's defaults, for callers (tests, benchmarks) that build a configuration by hand. */
export const CONFIG_DEFAULTS = (({ url, searchBase, searchFilter, ...rest }) => {
  void [url, searchBase, searchFilter];
  return rest;
})(toLdapConfig(LDAP_CONFIG_DEFAULTS));

/** The form's fields of an engine configuration (one built by hand, in a test or a benchmark). */
export function ldapConfigInputOf(config: LdapConfig): Omit<LdapConfigInput, PortalField> {
  return {
    ...config,
    failoverUrls: config.failoverUrls.join("\n"),
    caCertificate: config.caCertificate ?? "",
    requiredGroupDn: config.requiredGroupDn ?? "",
  };
}

/** Field-level problems of an engine configuration; empty when it can be used. */
export function configProblems(config: LdapConfig): { field: keyof LdapConfig; message: string }[] {
  const parsed = engineSchema.safeParse(ldapConfigInputOf(config));
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({
    field: String(issue.path[0] ?? "url") as keyof LdapConfig,
    message: issue.message,
  }));
}

/** The engine's refusal of a configuration it cannot use, or undefined. */
export function configError(config: LdapConfig): LdapError | undefined {
  const problems = configProblems(config);
  if (problems.length === 0) return undefined;
  const code = problems.some((p) => ["url", "failoverUrls", "startTls"].includes(p.field))
    ? "invalid_url"
    : problems.some((p) => p.field === "searchFilter" || p.field === "groupMembershipFilter")
      ? "invalid_filter"
      : "invalid_config";
  return ldapError(code, "config", { detail: problems.map((p) => `${p.field}: ${p.message}`).join("; ") });
}

/** All URLs in failover order. */
export function urlsOf(config: LdapConfig): string[] {
  return [config.url, ...config.failoverUrls];
}
