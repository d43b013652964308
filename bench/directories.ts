// The two benchmarked directories, each described once so that (a) the engine, (b) raw ldapts and
// (c) ldapauth-fork get the same URL, TLS, CA, search base, filters and users.
import fs from "node:fs";
import path from "node:path";
import { caCertificate, directoryEnv, STATE_DIR, type DirectoryEnv } from "../e2e/directories/env";

export type TlsMode = "ldaps" | "starttls";

export interface BenchDirectory {
  key: "openldap" | "samba";
  label: string;
  env: DirectoryEnv;
  /** The URL all three implementations use. */
  url: string;
  startTls: boolean;
  /** Host the certificate is checked against (the URL's host). */
  host: string;
  ca: string;
  searchBase: string;
  serviceDn: string;
  servicePassword: string;
  /** (a) the engine's templates, exactly as an administrator would type them. */
  engine: { searchFilter: string; groupMembershipFilter: string; nestedGroups: boolean };
  /** (b) raw ldapts: the same filters, rendered by hand. */
  userFilter: (username: string) => string;
  groupFilter: (dn: string) => string;
  /** Parent expansion level by level on this attribute (OpenLDAP). */
  expandAttribute?: string;
  /**
   * Active Directory: the engine resolves the documented in-chain Group Membership Filter from
   * memberOf (the user's, then each group's, read by DN); (b) sends the same queries.
   */
  memberOfWalk?: { classFilter: string };
  /** (c) ldapauth-fork's templates ({{username}}, {{dn}}). */
  ldapauth: { searchFilter: string; groupSearchFilter: string };
  /** True when ldapauth-fork's single group query returns nested groups too (AD in-chain). */
  ldapauthNested: boolean;
  users: string[];
  password: string;
  /** Every benchmarked user is in this group, directly or through nesting: each login checks it. */
  requiredGroup: string;
}

/** RFC 4515 value escaping for the hand-rendered filters of (b). */
export function escapeValue(value: string): string {
  return value.replace(/[*()\\\u0000-\u001f\u007f]/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

const IN_CHAIN = "1.2.840.113556.1.4.1941";
export const BENCH_USERS = ["test_user_1", "test_user_2"];

function hostOf(url: string): string {
  return new URL(url).hostname;
}

export function openldapDirectory(tls: TlsMode): BenchDirectory {
  const env = directoryEnv("openldap");
  const url = tls === "ldaps" ? env.urls.ldaps : env.urls.ldap;
  return {
    key: "openldap",
    label: "OpenLDAP",
    env,
    url,
    startTls: tls === "starttls",
    host: hostOf(url),
    ca: caCertificate(env),
    searchBase: env.baseDn,
    serviceDn: env.serviceAccount.dn,
    servicePassword: env.serviceAccount.password,
    engine: {
      searchFilter: "(&(objectClass=inetOrgPerson)(uid={0}))",
      groupMembershipFilter: "(&(objectClass=groupOfNames)(member={0}))",
      nestedGroups: true,
    },
    userFilter: (username) => `(&(objectClass=inetOrgPerson)(uid=${escapeValue(username)}))`,
    groupFilter: (dn) => `(&(objectClass=groupOfNames)(member=${escapeValue(dn)}))`,
    expandAttribute: "member",
    ldapauth: {
      searchFilter: "(&(objectClass=inetOrgPerson)(uid={{username}}))",
      groupSearchFilter: "(&(objectClass=groupOfNames)(member={{dn}}))",
    },
    ldapauthNested: false,
    users: BENCH_USERS,
    password: env.users.test_user_1!.password,
    requiredGroup: env.groups.all_kasm_app_users!,
  };
}

export function sambaDirectory(tls: TlsMode): BenchDirectory {
  const env = directoryEnv("samba");
  const url = tls === "ldaps" ? env.urls.ldaps : env.urls.ldap;
  const allowed = env.groups.all_kasm_app_users!;
  return {
    key: "samba",
    label: "Samba AD",
    env,
    url,
    startTls: tls === "starttls",
    host: hostOf(url),
    ca: caCertificate(env),
    searchBase: env.baseDn,
    serviceDn: env.serviceAccount.dn,
    servicePassword: env.serviceAccount.password,
    // The product documentation's Active Directory filters (its form, without outer parentheses).
    engine: {
      searchFilter: `&(objectClass=user)(sAMAccountName={0})(memberof:${IN_CHAIN}:=${allowed})`,
      groupMembershipFilter: `&(objectClass=group)(member:${IN_CHAIN}:={0})`,
      nestedGroups: true,
    },
    userFilter: (username) =>
      `(&(objectClass=user)(sAMAccountName=${escapeValue(username)})(memberof:${IN_CHAIN}:=${escapeValue(allowed)}))`,
    groupFilter: (dn) => `(&(objectClass=group)(member:${IN_CHAIN}:=${escapeValue(dn)}))`,
    memberOfWalk: { classFilter: "(objectClass=group)" },
    ldapauth: {
      searchFilter: `(&(objectClass=user)(sAMAccountName={{username}})(memberof:${IN_CHAIN}:=${allowed}))`,
      groupSearchFilter: `(&(objectClass=group)(member:${IN_CHAIN}:={{dn}}))`,
    },
    ldapauthNested: true,
    users: BENCH_USERS,
    password: env.users.test_user_1!.password,
    requiredGroup: allowed,
  };
}

/** slapd's configured log level, read from the test server's cn=config (not assumed). */
export function slapdLogLevel(): string {
  const file = path.join(STATE_DIR, "openldap", "slapd.d", "cn=config.ldif");
  try {
    const match = /^olcLogLevel:\s*(.+)$/m.exec(fs.readFileSync(file, "utf8"));
    return match?.[1]?.trim() ?? "not set (slapd default: stats)";
  } catch {
    return `unknown (cannot read ${file})`;
  }
}

/** Samba's configured log level, from the test server's smb.conf. */
export function sambaLogLevel(): string {
  const file = path.join(STATE_DIR, "samba", "etc", "smb.conf");
  try {
    const match = /^\s*log level\s*=\s*(.+)$/m.exec(fs.readFileSync(file, "utf8"));
    return match?.[1]?.trim() ?? "not set (Samba default: 0)";
  } catch {
    return `unknown (cannot read ${file})`;
  }
}

export function sameDn(a: string, b: string): boolean {
  const norm = (dn: string) => dn.replace(/\s*([,=])\s*/g, "$1").toLowerCase();
  return norm(a) === norm(b);
}
