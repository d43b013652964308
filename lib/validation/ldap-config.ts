import { z } from "zod";
import { parseDn } from "@/lib/ldap/dn";
import { splitDomains } from "@/lib/ldap/domains";
import { validateFilterTemplate } from "@/lib/ldap/filter";
import { ALLOWED_GROUP_PLACEHOLDER } from "@/lib/ldap/presets";
import { parseLdapUrl, parseUrlList } from "@/lib/ldap/url";
import { NESTING_CACHE_RANGE_SECONDS, TIMEOUT_RANGE_MS } from "@/lib/ldap/config";

const dn = (label: string, required: boolean) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!value) {
        if (required) ctx.addIssue({ code: "custom", message: `Enter the ${label}` });
        return;
      }
      const parsed = parseDn(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
    });

const filter = (label: string, placeholders: string[], required: boolean) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!value) {
        if (required) ctx.addIssue({ code: "custom", message: `Enter the ${label}` });
        return;
      }
      if (value.includes(ALLOWED_GROUP_PLACEHOLDER)) {
        ctx.addIssue({ code: "custom", message: `Replace ${ALLOWED_GROUP_PLACEHOLDER} with the DN of the group whose members may sign in` });
        return;
      }
      const parsed = validateFilterTemplate(value, placeholders);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
    });

const timeout = (label: string) =>
  z
    .number({ error: `Enter the ${label} in milliseconds` })
    .int(`Enter a whole number of milliseconds`)
    .min(TIMEOUT_RANGE_MS.min, `${label} must be at least ${TIMEOUT_RANGE_MS.min} ms`)
    .max(TIMEOUT_RANGE_MS.max, `${label} must be at most ${TIMEOUT_RANGE_MS.max} ms`);

/** The LDAP configuration form; the same schema validates the server action. */
export const ldapConfigSchema = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(100, "Keep the name under 100 characters"),
    url: z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        const parsed = parseLdapUrl(value);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
      }),
    searchBase: dn("Search Base", true),
    searchFilter: filter("Search Filter", ["0", "username", "login"], true),
    groupMembershipFilter: filter("Group Membership Filter", ["0", "dn", "username"], false),
    emailAttribute: z
      .string()
      .trim()
      .regex(/^[a-zA-Z][\w-]*$|^\d+(\.\d+)+$/, "Enter an attribute name such as mail"),
    serviceAccountDn: dn("Service Account DN", false),
    /** Write-only: empty on edit means "keep the stored password". */
    serviceAccountPassword: z.string().max(1024),
    searchSubtree: z.boolean(),
    autoCreateAppUser: z.boolean(),
    enabled: z.boolean(),
    alternateDomains: z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        for (const domain of splitDomains(value)) {
          if (domain !== "*" && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(domain)) {
            ctx.addIssue({ code: "custom", message: `"${domain}" is not a domain (use e.g. kasm.core, or * for usernames without a domain)` });
            return;
          }
        }
      }),
    failoverUrls: z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        if (!value) return;
        const parsed = parseUrlList(value);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
      }),
    startTls: z.boolean(),
    verifyCertificate: z.boolean(),
    caCertificate: z
      .string()
      .trim()
      .refine(
        (value) => !value || /^(-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*)+$/.test(value),
        "Paste one or more certificates in PEM form (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
      ),
    connectTimeoutMs: timeout("Connect Timeout"),
    operationTimeoutMs: timeout("Operation Timeout"),
    nestedGroups: z.boolean(),
    nestedGroupsCacheSeconds: z
      .number({ error: "Enter a whole number of seconds" })
      .int("Enter a whole number of seconds")
      .min(NESTING_CACHE_RANGE_SECONDS.min, "Enter 0 or more seconds (0 turns the cache off)")
      .max(NESTING_CACHE_RANGE_SECONDS.max, `Nesting cache must be at most ${NESTING_CACHE_RANGE_SECONDS.max} seconds`),
    requiredGroupDn: dn("Required Group", false),
    displayOrder: z.number({ error: "Enter a whole number" }).int("Enter a whole number").min(0).max(10_000),
  })
  .superRefine(startTlsOnlyOnLdap);

function startTlsOnlyOnLdap(values: { startTls: boolean; url: string; failoverUrls: string }, ctx: z.RefinementCtx) {
  if (!values.startTls) return;
  const urls = [values.url, ...values.failoverUrls.split(/[\n,]/)].map((url) => url.trim().toLowerCase());
  if (urls.some((url) => url.startsWith("ldaps://"))) {
    ctx.addIssue({ code: "custom", path: ["startTls"], message: "StartTLS upgrades ldap:// connections; with StartTLS every URL, failover ones included, must be ldap://" });
  }
}

/** The fields Detect needs (a half-filled form): where and how to connect. */
export const ldapConnectionSchema = z
  .object({
    url: z.string().trim().superRefine((value, ctx) => {
      const parsed = parseLdapUrl(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
    }),
    failoverUrls: z.string().trim(),
    searchBase: z.string().trim(),
    serviceAccountDn: dn("Service Account DN", false),
    serviceAccountPassword: z.string().max(1024),
    startTls: z.boolean(),
    verifyCertificate: z.boolean(),
    caCertificate: z.string().trim(),
    connectTimeoutMs: timeout("Connect Timeout"),
    operationTimeoutMs: timeout("Operation Timeout"),
  })
  .superRefine(startTlsOnlyOnLdap);

export type LdapConfigInput = z.infer<typeof ldapConfigSchema>;

export const LDAP_CONFIG_DEFAULTS: LdapConfigInput = {
  name: "",
  url: "",
  searchBase: "",
  searchFilter: "",
  groupMembershipFilter: "",
  emailAttribute: "mail",
  serviceAccountDn: "",
  serviceAccountPassword: "",
  searchSubtree: true,
  autoCreateAppUser: true,
  enabled: true,
  alternateDomains: "",
  failoverUrls: "",
  startTls: false,
  verifyCertificate: true,
  caCertificate: "",
  connectTimeoutMs: 5000,
  operationTimeoutMs: 10000,
  nestedGroups: true,
  nestedGroupsCacheSeconds: 60,
  requiredGroupDn: "",
  displayOrder: 0,
};

export const ldapTestSchema = z.object({
  username: z.string().trim().min(1, "Enter a username to test, e.g. test_user_1@kasm.core").max(320),
  /** Optional: without it the test runs in look-up mode. */
  password: z.string().max(1024),
});

export type LdapTestInput = z.infer<typeof ldapTestSchema>;
