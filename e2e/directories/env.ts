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
  users: Record<string, { dn: string; password: string; mail: string }>;
  groups: Record<string, string>;
  uniqueGroups?: Record<string, string>;
  posixGroups?: Record<string, string>;
  specialUsers?: Record<string, string>;
  bulk?: { bigGroupMembers: number; manyGroupsCount: number };
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
