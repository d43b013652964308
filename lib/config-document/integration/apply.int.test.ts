import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { freshPortal } from "@/lib/auth/integration/harness";

/**
 * Imports of configuration documents on a real database (SQLite here; PostgreSQL through
 * lib/db/integration/postgres/config-document.int.test.ts): one transaction, idempotent, safe
 * when two run at once, and provisioning at start.
 */
let lib: {
  importConfigDocument: typeof import("../apply").importConfigDocument;
  provisionAtStart: typeof import("../provision").provisionAtStart;
  ProvisioningError: typeof import("../provision").ProvisioningError;
  readState: typeof import("@/lib/db/config-document").readConfigDocumentState;
  storedServicePasswords: typeof import("@/lib/db/config-document").storedServicePasswords;
  createGroup: typeof import("@/lib/db/group-admin").createGroup;
  auditEvents: typeof import("@/lib/db/audit-log").listAuditEvents;
};

const BIND_PASSWORD = "Apply-Bind-Password-1";
const ENV = { LDAP_APPLY_BIND_PW: BIND_PASSWORD };
const SAMBA = {
  name: "Samba (import)",
  url: "ldaps://127.0.0.2:636",
  searchBase: "DC=kasm,DC=core",
  searchFilter: "&(objectClass=user)(sAMAccountName={0})",
  serviceAccountDn: "CN=svc,CN=Users,DC=kasm,DC=core",
  serviceAccountPasswordEnv: "LDAP_APPLY_BIND_PW",
};

beforeAll(async () => {
  await freshPortal("config-document-apply");
  lib = {
    importConfigDocument: (await import("../apply")).importConfigDocument,
    provisionAtStart: (await import("../provision")).provisionAtStart,
    ProvisioningError: (await import("../provision")).ProvisioningError,
    readState: (await import("@/lib/db/config-document")).readConfigDocumentState,
    storedServicePasswords: (await import("@/lib/db/config-document")).storedServicePasswords,
    createGroup: (await import("@/lib/db/group-admin")).createGroup,
    auditEvents: (await import("@/lib/db/audit-log")).listAuditEvents,
  };
});

function importing(document: unknown, options: { dryRun?: boolean; source?: string } = {}) {
  return lib.importConfigDocument(JSON.stringify(document), {
    actor: "admin@portal.local",
    source: options.source ?? "upload",
    dryRun: options.dryRun ?? false,
    env: ENV,
  });
}

async function groupsByName() {
  const state = await lib.readState();
  return Object.fromEntries(state.groups.map((group) => [group.name, group]));
}

describe("importing a configuration document", () => {
  it("writes configurations and groups in one go, groups trading priorities, then finds nothing to change", async () => {
    await lib.createGroup({ name: "Staff", description: "", priority: 20, ldapMappings: [], settings: [] });
    await lib.createGroup({ name: "Contractors", description: "", priority: 30, ldapMappings: [], settings: [] });
    const document = {
      version: 1,
      configs: [SAMBA],
      groups: [
        {
          name: "Staff",
          priority: 30,
          ldapMappings: [{ configuration: SAMBA.name, dn: "CN=staff,OU=MyOrg,DC=kasm,DC=core" }],
          settings: [{ key: "quota", value: "10" }],
        },
        { name: "Contractors", priority: 20 },
        { systemKey: "administrators", ldapMappings: [{ configuration: SAMBA.name, dn: "CN=admins,DC=kasm,DC=core" }] },
      ],
    };
    const preview = await importing(document, { dryRun: true });
    expect(preview).toMatchObject({ ok: true, applied: false });
    expect((await lib.readState()).configs).toEqual([]);

    const applied = await importing(document);
    expect(applied).toMatchObject({ ok: true, applied: true });
    const state = await lib.readState();
    expect(state.configs.map((config) => [config.values.name, config.hasPassword])).toEqual([[SAMBA.name, true]]);
    expect(await lib.storedServicePasswords([state.configs[0]!.id])).toEqual(
      new Map([[state.configs[0]!.id, BIND_PASSWORD]]),
    );
    const groups = await groupsByName();
    expect(groups.Staff).toMatchObject({
      priority: 30,
      ldapMappings: [{ configName: SAMBA.name, dn: "CN=staff,OU=MyOrg,DC=kasm,DC=core" }],
      settings: [{ key: "quota", value: "10" }],
    });
    expect(groups.Contractors).toMatchObject({ priority: 20 });
    expect(groups.Administrators).toMatchObject({
      priority: 1,
      ldapMappings: [{ configName: SAMBA.name, dn: "CN=admins,DC=kasm,DC=core" }],
    });

    const again = await importing(document);
    expect(again).toMatchObject({ ok: true, applied: false });
    if (!again.ok) throw new Error(again.error);
    expect(again.lines.at(-1)).toBe("Nothing to change: the portal already matches the document.");
    const { events } = await lib.auditEvents({ kind: "config", page: 1 });
    expect(events.map((event) => [event.actor, event.action, event.target])).toEqual([
      ["admin@portal.local", "config.import", "upload"],
    ]);
    expect(events[0]!.details).not.toContain(BIND_PASSWORD);
  });

  it("applies once when two imports of one document run at once", async () => {
    const document = {
      version: 1,
      configs: [{ ...SAMBA, name: "Samba (twice)", alternateDomains: "twice.example", displayOrder: 5 }],
      groups: [{ name: "Twice", priority: 40, ldapMappings: [{ configuration: "Samba (twice)", dn: "CN=t,DC=x" }] }],
    };
    const outcomes = await Promise.all([
      importing(document, { source: "twice" }),
      importing(document, { source: "twice" }),
    ]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(outcomes.filter((outcome) => outcome.ok && outcome.applied)).toHaveLength(1);
    const state = await lib.readState();
    expect(state.configs.filter((config) => config.values.name === "Samba (twice)")).toHaveLength(1);
    expect(state.groups.filter((group) => group.name === "Twice")).toHaveLength(1);
    const { events } = await lib.auditEvents({ kind: "config", page: 1 });
    expect(events.filter((event) => event.target === "twice")).toHaveLength(1);
  });

  it("refuses a document with a bad field and writes none of it", async () => {
    const before = await lib.readState();
    const outcome = await importing({
      version: 1,
      configs: [{ ...SAMBA, name: "Fine", alternateDomains: "fine.example", displayOrder: 7 }],
      groups: [{ name: "Late", priority: 50, ldapMappings: [{ configuration: "Missing", dn: "CN=x" }] }],
    });
    expect(outcome).toEqual({
      ok: false,
      error:
        'groups[0].ldapMappings[0].configuration: No LDAP configuration is named "Missing" in the document or in the portal',
    });
    expect(await lib.readState()).toEqual(before);
  });
});

describe("provisioning at start", () => {
  function file(document: unknown): string {
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "provision-")), "portal.json");
    fs.writeFileSync(target, typeof document === "string" ? document : JSON.stringify(document));
    return target;
  }

  it("imports PORTAL_PROVISION_FILE's document at every start, changing nothing the second time", async () => {
    process.env.LDAP_APPLY_BIND_PW = BIND_PASSWORD;
    try {
      const provisioned = file({
        version: 1,
        configs: [{ ...SAMBA, name: "Provisioned", alternateDomains: "provisioned.example", displayOrder: 9 }],
        groups: [{ name: "Provisioned users", priority: 60 }],
      });
      await lib.provisionAtStart(provisioned);
      await lib.provisionAtStart(provisioned);
      const state = await lib.readState();
      expect(state.configs.filter((config) => config.values.name === "Provisioned")).toHaveLength(1);
      const { events } = await lib.auditEvents({ kind: "config", page: 1 });
      expect(events.filter((event) => event.actor === "provisioning").map((event) => event.target)).toEqual([
        provisioned,
      ]);
    } finally {
      delete process.env.LDAP_APPLY_BIND_PW;
    }
  });

  it("stops the start with the file's first problem, writing nothing", async () => {
    const before = await lib.readState();
    const bad = file({ version: 1, configs: [{ ...SAMBA, name: "Bad", url: "http://dc" }] });
    await expect(lib.provisionAtStart(bad)).rejects.toThrow(
      new lib.ProvisioningError(
        `PORTAL_PROVISION_FILE ${bad}: configs[0].url: URL must start with ldap:// or ldaps://`,
      ),
    );
    await expect(lib.provisionAtStart("/nonexistent/portal.json")).rejects.toThrow(
      "PORTAL_PROVISION_FILE /nonexistent/portal.json cannot be read (ENOENT): fix the path or its permissions",
    );
    expect(await lib.readState()).toEqual(before);
  });
});
