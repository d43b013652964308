import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrateDeploy } from "../migrate/index.mjs";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../../prisma/migrations");
const BEFORE = "20261204134441_mappings_per_configuration";

/** A database migrated up to (not including) the migration that scopes mappings per configuration. */
async function databaseBeforeScoping() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapping-migration-"));
  const older = path.join(dir, "migrations");
  fs.mkdirSync(older);
  for (const name of fs.readdirSync(MIGRATIONS)) {
    if (name >= BEFORE) continue;
    fs.cpSync(path.join(MIGRATIONS, name), path.join(older, name), { recursive: true });
  }
  const databaseUrl = `file:${path.join(dir, "portal.db")}`;
  await migrateDeploy({ databaseUrl, migrationsDir: older });
  return { dir, databaseUrl, file: path.join(dir, "portal.db") };
}

describe("migration: group mappings name their configuration", () => {
  it("assigns each mapping to the configurations whose naming context holds its DN, drops the rest, and audits both", async () => {
    const { dir, databaseUrl, file } = await databaseBeforeScoping();
    const sql = new Database(file);
    const config = sql.prepare(
      "INSERT INTO LdapConfig (id, name, url, searchBase, searchFilter, updatedAt) VALUES (?, ?, 'ldap://x', ?, '(uid={0})', 0)",
    );
    config.run("c-kasm", "Kasm AD", "OU=MyOrg, DC=kasm,DC=core");
    config.run("c-kasm-2", "Kasm OpenLDAP", "dc=kasm,dc=core");
    config.run("c-other", "Other", "DC=other,DC=example");
    config.run("c-sub", "Lookalike", "DC=notkasm,DC=core");
    sql.prepare("INSERT INTO \"Group\" (id, name, priority, updatedAt) VALUES ('g1', 'LDAP Group 1', 10, 0)").run();
    const mapping = sql.prepare("INSERT INTO GroupLdapMapping (id, groupId, dn, dnNormalized) VALUES (?, 'g1', ?, ?)");
    mapping.run("m1", "CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core", "cn=kasm_group_1,ou=myorg,dc=kasm,dc=core");
    mapping.run("m2", "CN=elsewhere,DC=unknown,DC=org", "cn=elsewhere,dc=unknown,dc=org");
    sql.close();

    await migrateDeploy({ databaseUrl, migrationsDir: MIGRATIONS });

    const after = new Database(file, { readonly: true });
    const rows = after.prepare("SELECT ldapConfigId, dn FROM GroupLdapMapping ORDER BY ldapConfigId").all();
    // Both kasm.core configurations hold the DN; "DC=notkasm,DC=core" only ends with the same text.
    expect(rows).toEqual([
      { ldapConfigId: "c-kasm", dn: "CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core" },
      { ldapConfigId: "c-kasm-2", dn: "CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core" },
    ]);
    const audit = after
      .prepare("SELECT action, target, outcome, details FROM AuditEvent ORDER BY action, details")
      .all() as { action: string; target: string; outcome: string; details: string }[];
    expect(
      audit.map((event) => [
        event.action,
        event.target,
        event.outcome,
        JSON.parse(event.details).configuration ?? JSON.parse(event.details).dn,
      ]),
    ).toEqual([
      ["group.mapping_assigned", "LDAP Group 1", "success", "Kasm AD"],
      ["group.mapping_assigned", "LDAP Group 1", "success", "Kasm OpenLDAP"],
      ["group.mapping_dropped", "LDAP Group 1", "failure", "CN=elsewhere,DC=unknown,DC=org"],
    ]);
    after.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
