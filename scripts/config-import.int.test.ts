import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { freshPortal } from "@/lib/auth/integration/harness";

/**
 * `npm run config:export` and `npm run config:import` as an operator runs them, on the SQLite
 * databases of two portals: the first configured by hand (lib/db), the second fresh.
 */
const BIND_PASSWORD = "Cli-Bind-Password-1";
const GROUP_DN = "CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core";
let first: Record<string, string>;
let second: Record<string, string>;
let exported: { configs: Record<string, unknown>[]; groups: Record<string, unknown>[] };

function cli(script: "config-export" | "config-import", args: string[], env: Record<string, string>) {
  const run = spawnSync("npx", ["tsx", "--conditions=react-server", `scripts/${script}.ts`, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A data directory and SQLite database migrated and bootstrapped as by a first `npm start`. */
function freshDatabase(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-cli-second-"));
  const env = { DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "portal.db")}` };
  const prepared = spawnSync(
    "npx",
    [
      "tsx",
      "--conditions=react-server",
      "--eval",
      `void (async () => {
        const { migrateDeploy } = await import("./lib/db/migrate/index.mjs");
        await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
        const { ensureSystemGroups } = await import("./lib/db/groups");
        await ensureSystemGroups();
      })()`,
    ],
    { encoding: "utf8", env: { ...process.env, ...env } },
  );
  expect(prepared.status, prepared.stderr).toBe(0);
  return env;
}

function writeDocument(document: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "config-cli-doc-")), "portal.json");
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

/** Rows of a portal's SQLite database, read directly (the assertions only). */
function rows<T>(env: Record<string, string>, sql: string): T[] {
  const database = new Database(env.DATABASE_URL!.slice("file:".length), { readonly: true });
  try {
    return database.prepare(sql).all() as T[];
  } finally {
    database.close();
  }
}

function exportOf(env: Record<string, string>) {
  const run = cli("config-export", [], env);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as typeof exported;
}

beforeAll(async () => {
  await freshPortal("config-cli-first");
  first = { DATA_DIR: process.env.DATA_DIR!, DATABASE_URL: process.env.DATABASE_URL! };
  const { createLdapConfig } = await import("@/lib/db/ldap-configs");
  const { createGroup, findGroupForEdit, updateGroup } = await import("@/lib/db/group-admin");
  const { systemGroupId } = await import("@/lib/db/groups");
  const config = await createLdapConfig(
    {
      name: "Kasm AD",
      url: "ldaps://127.0.0.2:636",
      searchBase: "DC=kasm,DC=core",
      searchFilter: "&(objectClass=user)(sAMAccountName={0})",
      groupMembershipFilter: "&(objectClass=group)(member:1.2.840.113556.1.4.1941:={0})",
      serviceAccountDn: "CN=svc_ldap,CN=Users,DC=kasm,DC=core",
      alternateDomains: "kasm.example",
      syncIntervalMinutes: 30,
    },
    BIND_PASSWORD,
  );
  await createGroup({
    name: "LDAP Group 1",
    description: "Members of kasm_group_1",
    priority: 10,
    ldapMappings: [{ configId: config.id, dn: GROUP_DN }],
    settings: [{ key: "theme", value: "dark" }],
  });
  const administrators = (await findGroupForEdit(await systemGroupId("administrators")))!;
  await updateGroup(administrators.id, {
    name: administrators.name,
    description: administrators.description,
    priority: administrators.priority,
    ldapMappings: [{ configId: config.id, dn: "CN=kasm_admins,OU=MyOrg,DC=kasm,DC=core" }],
    settings: [],
  });
  second = freshDatabase();
}, 120_000);

describe("npm run config:export and config:import", () => {
  it("exports every configuration and group without the password", () => {
    const run = cli("config-export", [], first);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(BIND_PASSWORD);
    exported = JSON.parse(run.stdout) as typeof exported;
    expect(exported.configs).toEqual([
      expect.objectContaining({ name: "Kasm AD", url: "ldaps://127.0.0.2:636", syncIntervalMinutes: 30 }),
    ]);
    expect(Object.keys(exported.configs[0]!)).not.toContain("serviceAccountPassword");
    expect(exported.groups).toEqual([
      {
        systemKey: "administrators",
        name: "Administrators",
        ldapMappings: [{ configuration: "Kasm AD", dn: "CN=kasm_admins,OU=MyOrg,DC=kasm,DC=core" }],
        settings: [],
      },
      {
        name: "LDAP Group 1",
        description: "Members of kasm_group_1",
        priority: 10,
        ldapMappings: [{ configuration: "Kasm AD", dn: GROUP_DN }],
        settings: [{ key: "theme", value: "dark" }],
      },
      { systemKey: "all_users", name: "All Users", ldapMappings: [], settings: [] },
    ]);
    // The export is read back by the same portal as it is: nothing to change.
    const again = cli("config-import", [writeDocument(exported)], first);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("Nothing to change: the portal already matches the document.");
  });

  it("imports the export into a fresh database (the password from the variable it names), once", async () => {
    const file = writeDocument({
      ...exported,
      configs: [{ ...exported.configs[0], serviceAccountPasswordEnv: "LDAP_KASM_BIND_PW" }],
    });
    const missing = cli("config-import", [file], second);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(
      'configs[0].serviceAccountPasswordEnv: The environment variable LDAP_KASM_BIND_PW is not set: set it to the Service Account Password of "Kasm AD"',
    );

    const preview = cli("config-import", [file, "--dry-run"], { ...second, LDAP_KASM_BIND_PW: BIND_PASSWORD });
    expect(preview.status, preview.stderr).toBe(0);
    expect(preview.stdout.split("\n")).toEqual([
      `Dry run of ${file}: nothing is written.`,
      'create configuration "Kasm AD": ldaps://127.0.0.2:636, DC=kasm,DC=core; Service Account Password from LDAP_KASM_BIND_PW',
      'update group "Administrators": + LDAP group CN=kasm_admins,OU=MyOrg,DC=kasm,DC=core (Kasm AD)',
      `create group "LDAP Group 1": priority 10; + LDAP group ${GROUP_DN} (Kasm AD); + setting theme`,
      'unchanged group "All Users"',
      "Everything in the portal is in the document (an import never deletes).",
      "2 to create, 1 to update, 1 unchanged.",
      "",
    ]);
    expect(rows(second, `SELECT name FROM LdapConfig`)).toEqual([]);

    const applied = cli("config-import", [file], { ...second, LDAP_KASM_BIND_PW: BIND_PASSWORD });
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Created 2, updated 1, 1 unchanged.");
    expect(exportOf(second)).toEqual(exported);
    // Encrypted with the second portal's own key, as its form would store it.
    const [stored] = rows<{ serviceAccountPasswordEncrypted: string }>(
      second,
      `SELECT serviceAccountPasswordEncrypted FROM LdapConfig`,
    );
    expect(stored!.serviceAccountPasswordEncrypted).toMatch(/^v1:/);
    const { decryptSecret } = await import("@/lib/crypto");
    const { parseEncryptionKey } = await import("@/lib/secrets");
    const secrets = JSON.parse(fs.readFileSync(path.join(second.DATA_DIR!, "secrets.json"), "utf8")) as {
      encryptionKey: string;
    };
    expect(
      decryptSecret(stored!.serviceAccountPasswordEncrypted, parseEncryptionKey(secrets.encryptionKey, "key")),
    ).toBe(BIND_PASSWORD);

    const twice = cli("config-import", [file], { ...second, LDAP_KASM_BIND_PW: BIND_PASSWORD });
    expect(twice.status, twice.stderr).toBe(0);
    expect(twice.stdout).toContain("Nothing to change: the portal already matches the document.");
    const events = rows<{ actor: string; action: string; target: string; details: string }>(
      second,
      `SELECT actor, action, target, details FROM AuditEvent WHERE action = 'config.import'`,
    );
    expect(events).toEqual([
      { actor: `cli:${os.userInfo().username}`, action: "config.import", target: file, details: expect.any(String) },
    ]);
    expect(events[0]!.details).not.toContain(BIND_PASSWORD);
    expect(JSON.parse(events[0]!.details)).toMatchObject({ created: 2, updated: 1, unchanged: 1 });
  });

  it("names the first bad field and writes nothing when anything is wrong (exit 1)", () => {
    const before = exportOf(second);
    const newConfig = { name: "OpenLDAP", url: "ldap://127.0.0.1:3890", searchBase: "DC=o", searchFilter: "(uid={0})" };
    const malformed = cli(
      "config-import",
      [writeDocument({ version: 1, configs: [newConfig, { ...newConfig, name: "Other", url: "http://x" }] })],
      second,
    );
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain("configs[1].url: URL must start with ldap:// or ldaps://");
    const unknownKey = cli(
      "config-import",
      [writeDocument({ version: 1, configs: [{ ...newConfig, tls: 1 }] })],
      second,
    );
    expect(unknownKey.status).toBe(1);
    expect(unknownKey.stderr).toContain("configs[0].tls: unknown field");
    // The configuration is fine; the group after it is not: neither is written.
    const late = cli(
      "config-import",
      [
        writeDocument({
          version: 1,
          configs: [newConfig],
          groups: [{ name: "Staff", priority: 1, ldapMappings: [] }],
        }),
      ],
      second,
    );
    expect(late.status).toBe(1);
    expect(late.stderr).toContain("groups[0].priority: Priority 1 is already used by group Administrators");
    expect(exportOf(second)).toEqual(before);
  });

  it("exits 2 for bad usage", () => {
    const noFile = cli("config-import", [], second);
    expect(noFile.status).toBe(2);
    expect(noFile.stderr).toContain("config:import: name the document to import");
    const unreadable = cli("config-import", ["/nonexistent/portal.json"], second);
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toContain("cannot read /nonexistent/portal.json (ENOENT)");
    expect(cli("config-import", ["--frobnicate"], second).status).toBe(2);
    expect(cli("config-export", ["extra"], second).status).toBe(2);
  });
});
