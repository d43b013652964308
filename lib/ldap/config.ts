import { parseDn } from "./dn";
import { ldapError, type LdapError } from "./errors";
import { validateFilterTemplate } from "./filter";
import { parseLdapUrl } from "./url";

/** Everything the engine needs to talk to one directory. The admin form and the CLI both build it. */
export interface LdapConfig {
  /** Stable id for connection reuse; the CLI and the test dialog leave it out. */
  id?: string;
  url: string;
  failoverUrls: string[];
  searchBase: string;
  searchFilter: string;
  groupMembershipFilter: string;
  emailAttribute: string;
  serviceAccountDn: string;
  serviceAccountPassword: string;
  searchSubtree: boolean;
  startTls: boolean;
  verifyCertificate: boolean;
  caCertificate?: string;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
  /** Expand parent groups level by level when the directory cannot do it (no AD in-chain rule). */
  nestedGroups: boolean;
  /**
   * How long the nesting between groups found by the portal is reused for sign-ins (0: never).
   * The user's own groups are always read fresh; Test LDAP Connection always reads everything.
   */
  nestedGroupsCacheSeconds: number;
  /** Portable "only members of this group may sign in", checked with nested resolution. */
  requiredGroupDn?: string;
}

export const CONFIG_DEFAULTS = {
  failoverUrls: [] as string[],
  groupMembershipFilter: "",
  emailAttribute: "mail",
  serviceAccountDn: "",
  serviceAccountPassword: "",
  searchSubtree: true,
  startTls: false,
  verifyCertificate: true,
  connectTimeoutMs: 5_000,
  operationTimeoutMs: 10_000,
  nestedGroups: true,
  nestedGroupsCacheSeconds: 60,
} satisfies Partial<LdapConfig>;

export const TIMEOUT_RANGE_MS = { min: 100, max: 120_000 } as const;
export const NESTING_CACHE_RANGE_SECONDS = { min: 0, max: 3_600 } as const;

/** Field-level problems; empty when the config can be used. */
export function configProblems(config: LdapConfig): { field: keyof LdapConfig; message: string }[] {
  const problems: { field: keyof LdapConfig; message: string }[] = [];
  for (const [field, text] of [["url", config.url], ...config.failoverUrls.map((url) => ["failoverUrls", url] as const)] as const) {
    const parsed = parseLdapUrl(text);
    if (!parsed.ok) problems.push({ field, message: `${text}: ${parsed.error.message}` });
    else if (config.startTls && parsed.value.protocol === "ldaps") {
      problems.push({ field, message: "StartTLS upgrades an ldap:// connection; use ldap:// with StartTLS, or ldaps:// without it" });
    }
  }
  for (const field of ["searchBase", "serviceAccountDn", "requiredGroupDn"] as const) {
    const value = config[field];
    if (field === "searchBase" && !value?.trim()) problems.push({ field, message: "Enter the Search Base" });
    if (value?.trim()) {
      const parsed = parseDn(value);
      if (!parsed.ok) problems.push({ field, message: parsed.error.message });
    }
  }
  const search = validateFilterTemplate(config.searchFilter, ["0", "username", "login"]);
  if (!config.searchFilter.trim()) problems.push({ field: "searchFilter", message: "Enter the Search Filter" });
  else if (!search.ok) problems.push({ field: "searchFilter", message: search.error.message });
  if (config.groupMembershipFilter.trim()) {
    const group = validateFilterTemplate(config.groupMembershipFilter, ["0", "dn", "username"]);
    if (!group.ok) problems.push({ field: "groupMembershipFilter", message: group.error.message });
  }
  if (!/^[a-zA-Z][\w-]*$|^\d+(\.\d+)+$/.test(config.emailAttribute)) {
    problems.push({ field: "emailAttribute", message: "Enter an attribute name such as mail" });
  }
  for (const field of ["connectTimeoutMs", "operationTimeoutMs"] as const) {
    const value = config[field];
    if (!Number.isInteger(value) || value < TIMEOUT_RANGE_MS.min || value > TIMEOUT_RANGE_MS.max) {
      problems.push({ field, message: `Enter a whole number of milliseconds between ${TIMEOUT_RANGE_MS.min} and ${TIMEOUT_RANGE_MS.max}` });
    }
  }
  const cacheSeconds = config.nestedGroupsCacheSeconds;
  if (!Number.isInteger(cacheSeconds) || cacheSeconds < NESTING_CACHE_RANGE_SECONDS.min || cacheSeconds > NESTING_CACHE_RANGE_SECONDS.max) {
    problems.push({ field: "nestedGroupsCacheSeconds", message: `Enter a whole number of seconds between ${NESTING_CACHE_RANGE_SECONDS.min} and ${NESTING_CACHE_RANGE_SECONDS.max}` });
  }
  return problems;
}

// Checked at every login; the answer only changes with the fields configProblems reads.
const checked = new Map<string, LdapError | undefined>();

const checkedObjects = new WeakMap<LdapConfig, LdapError | null>();

export function configError(config: LdapConfig): LdapError | undefined {
  const seen = checkedObjects.get(config);
  if (seen !== undefined) return seen ?? undefined;
  const error = configErrorByContent(config);
  checkedObjects.set(config, error ?? null);
  return error;
}

function configErrorByContent(config: LdapConfig): LdapError | undefined {
  const key = JSON.stringify([config.url, config.failoverUrls, config.startTls, config.searchBase, config.serviceAccountDn, config.requiredGroupDn, config.searchFilter, config.groupMembershipFilter, config.emailAttribute, config.connectTimeoutMs, config.operationTimeoutMs, config.nestedGroupsCacheSeconds]);
  if (checked.has(key)) return checked.get(key);
  const error = computeConfigError(config);
  if (checked.size >= 500) checked.clear();
  checked.set(key, error);
  return error;
}

function computeConfigError(config: LdapConfig): LdapError | undefined {
  const problems = configProblems(config);
  if (problems.length === 0) return undefined;
  const code = problems.some((p) => p.field === "url" || p.field === "failoverUrls")
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
