import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { hashPassword } from "../../lib/auth/password";
import { normalizeDn } from "../../lib/ldap/dn";

/** Direct access to the portal's test database (.e2e-data), for arranging test data. */
export const E2E_DATABASE = ".e2e-data/portal.db";

function open() {
  const database = new Database(E2E_DATABASE);
  database.pragma("busy_timeout = 10000");
  return database;
}

export async function createLocalUser(username: string, password: string): Promise<string> {
  const passwordHash = await hashPassword(password);
  const database = open();
  try {
    const id = randomUUID();
    database
      .prepare(
        "INSERT INTO User (id, username, source, passwordHash, disabled, createdAt) VALUES (?, ?, 'local', ?, 0, ?)",
      )
      .run(id, username, passwordHash, Date.now());
    return id;
  } finally {
    database.close();
  }
}

export function queryAll<T>(sql: string, ...params: unknown[]): T[] {
  const database = open();
  try {
    return database.prepare(sql).all(...params) as T[];
  } finally {
    database.close();
  }
}

/** The id of the LDAP configuration named `name` (it must exist: mappings name their configuration). */
function configIdByName(database: Database.Database, name: string): string {
  const row = database.prepare("SELECT id FROM LdapConfig WHERE name = ?").get(name) as { id: string } | undefined;
  if (!row) throw new Error(`No LDAP configuration named ${name}: create it before mapping groups to it`);
  return row.id;
}

function insertMapping(database: Database.Database, groupId: string, dn: string, configName: string) {
  const normalized = normalizeDn(dn);
  if (!normalized.ok) throw new Error(normalized.error.message);
  database
    .prepare("INSERT INTO GroupLdapMapping (id, groupId, ldapConfigId, dn, dnNormalized) VALUES (?, ?, ?, ?, ?)")
    .run(randomUUID(), groupId, configIdByName(database, configName), dn, normalized.value);
}

/** An app group mapped to LDAP group DNs of one configuration, arranged directly (the Groups UI has its own tests). */
export function createMappedGroup(name: string, priority: number, dns: string[], configName: string, description = ""): string {
  const database = open();
  try {
    const id = randomUUID();
    const now = Date.now();
    database
      .prepare("INSERT INTO \"Group\" (id, name, description, priority, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)")
      .run(id, name, description, priority, now, now);
    for (const dn of dns) insertMapping(database, id, dn, configName);
    return id;
  } finally {
    database.close();
  }
}

/** Adds an LDAP group DN of one configuration to an existing group (e.g. Administrators). */
export function mapGroupByName(name: string, dn: string, configName: string) {
  const database = open();
  try {
    const group = database.prepare("SELECT id FROM \"Group\" WHERE name = ?").get(name) as { id: string } | undefined;
    if (!group) throw new Error(`No group ${name}`);
    insertMapping(database, group.id, dn, configName);
  } finally {
    database.close();
  }
}

/**
 * A disabled LDAP configuration row for tests that only need one to exist (group mappings name
 * a configuration); it routes no sign-ins.
 */
export function createIdleLdapConfig(name: string, searchBase = "DC=kasm,DC=core"): string {
  const database = open();
  try {
    const id = randomUUID();
    database
      .prepare("INSERT INTO LdapConfig (id, name, url, searchBase, searchFilter, enabled, createdAt, updatedAt) VALUES (?, ?, 'ldap://127.0.0.1:1', ?, '(uid={0})', 0, ?, ?)")
      .run(id, name, searchBase, Date.now(), Date.now());
    return id;
  } finally {
    database.close();
  }
}

export function execute(sql: string, ...params: unknown[]) {
  const database = open();
  try {
    return database.prepare(sql).run(...params);
  } finally {
    database.close();
  }
}
