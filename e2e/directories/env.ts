import fs from "node:fs";
import path from "node:path";

/** What a running test directory server says about itself (.directories/<name>/env.json). */
export interface DirectoryEnv {
  name: "samba" | "openldap" | "dirsrv";
  urls: { ldap: string; ldaps: string };
  caFile: string;
  baseDn: string;
  admin: { dn: string; password: string };
  serviceAccount: { dn: string; password: string };
  /** OpenLDAP only: service accounts restricted on purpose (see openldap/NOTES.md). */
  restrictedAccounts?: {
    /** May see (disclose) the base entry but not search it: searches from the base get result 50. */
    discloseOnly: { dn: string; password: string };
    /** olcLimits: at most `sizeLimit` entries per search, paged searches included (result 4). */
    sizeLimited: { dn: string; password: string; sizeLimit: number };
  };
  /** OpenLDAP only: a second slapd with no TLS configuration at all (StartTLS refused), no database. */
  noTlsUrl?: string;
  users: Record<string, { dn: string; password: string; mail: string }>;
  groups: Record<string, string>;
  uniqueGroups?: Record<string, string>;
  posixGroups?: Record<string, string>;
  specialUsers?: Record<string, string>;
  /**
   * many_groups_user's direct groups; OpenLDAP also has big_group's members; 389 DS says the
   * service account's size limit for unpaged searches (its group query needs paging).
   */
  bulk?: { manyGroupsCount: number; bigGroupMembers?: number; serviceSizeLimit?: number };
  /** OpenLDAP only: `user` is in groups[0], each group in the next: nesting deeper than the engine follows. */
  deepNesting?: { user: string; dn: string; password: string; groups: string[] };
}

export const STATE_DIR = process.env.DIRECTORY_STATE_DIR ?? path.resolve(".directories");

export function directoryEnv(name: DirectoryEnv["name"]): DirectoryEnv {
  const file = path.join(STATE_DIR, name, "env.json");
  if (!fs.existsSync(file)) {
    throw new Error(`${name} is not running (no ${file}); start it with e2e/directories/start-all.sh`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as DirectoryEnv;
}

export function caCertificate(env: DirectoryEnv): string {
  return fs.readFileSync(env.caFile, "utf8");
}
