import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Attribute, Change, Client } from "ldapts";
import { caCertificate, type DirectoryEnv } from "@/e2e/directories/env";
import type { LdapConfig } from "@/lib/ldap";
import { ldapConfigInputOf } from "@/lib/ldap/config";

/**
 * The sign-in as the login page runs it, against a real directory and a fresh SQLite database
 * migrated as `npm start` does. Call `freshPortal()` before importing any lib module: lib/env.ts
 * reads the environment once.
 */
export async function freshPortal(name: string, env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  process.env.DATA_DIR = dir;
  process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;
  for (const key of ["LOGIN_THROTTLE_USER_LIMIT", "LOGIN_THROTTLE_ADDRESS_LIMIT"]) delete process.env[key];
  Object.assign(process.env, env);
  const { migrateDeploy } = await import("../../db/migrate/index.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  const { ensureSystemGroups } = await import("@/lib/db/groups");
  await ensureSystemGroups();
}

/** Stores an engine configuration as an enabled LDAP configuration row; returns its id. */
export async function storeConfig(
  name: string,
  config: LdapConfig,
  extra: { alternateDomains?: string; displayOrder?: number } = {},
): Promise<string> {
  const { createLdapConfig } = await import("@/lib/db/ldap-configs");
  const { serviceAccountPassword, ...values } = ldapConfigInputOf(config);
  const row = await createLdapConfig({ ...values, name, ...extra }, serviceAccountPassword);
  return row.id;
}

/** Runs `work` bound as the directory's administrator (to arrange entries for a test). */
export async function asDirectoryAdmin<T>(env: DirectoryEnv, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    url: env.urls.ldaps,
    tlsOptions: { ca: [caCertificate(env)] },
    timeout: 20_000,
    connectTimeout: 5_000,
  });
  try {
    await client.bind(env.admin.dn, env.admin.password);
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Gives `dn` the password `password` (OpenLDAP and 389 DS: userPassword). */
export async function setUserPassword(client: Client, dn: string, password: string) {
  await client.modify(
    dn,
    new Change({ operation: "replace", modification: new Attribute({ type: "userPassword", values: [password] }) }),
  );
}
