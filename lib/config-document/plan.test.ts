import { describe, expect, it } from "vitest";
import type { ConfigDocumentState, StoredConfiguration, StoredGroup } from "@/lib/db/config-document";
import { LDAP_CONFIG_DEFAULTS } from "@/lib/ldap/config";
import { configDocumentOf } from "./export";
import { describePlan, planImport, type PlanContext, type PlanResult } from "./plan";
import { parseConfigDocument, type ConfigDocument } from "./schema";

const { serviceAccountPassword: _password, ...DEFAULTS } = LDAP_CONFIG_DEFAULTS;
void _password;

const KASM: StoredConfiguration = {
  id: "cfg-kasm",
  values: {
    ...DEFAULTS,
    name: "Kasm AD",
    url: "ldaps://127.0.0.2:636",
    searchBase: "DC=kasm,DC=core",
    searchFilter: "&(objectClass=user)(sAMAccountName={0})",
    serviceAccountDn: "CN=svc,OU=Service,DC=kasm,DC=core",
  },
  hasPassword: true,
};
const GROUP_1_DN = "CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core";
const ADMINISTRATORS: StoredGroup = {
  id: "grp-admins",
  name: "Administrators",
  description: "Members may use the admin area",
  priority: 1,
  systemKey: "administrators",
  ldapMappings: [],
  settings: [],
};
const ALL_USERS: StoredGroup = {
  id: "grp-all",
  name: "All Users",
  description: "Every user of the portal",
  priority: 1000,
  systemKey: "all_users",
  ldapMappings: [],
  settings: [{ key: "theme", value: "light" }],
};
const GROUP_1: StoredGroup = {
  id: "grp-1",
  name: "LDAP Group 1",
  description: "",
  priority: 10,
  systemKey: null,
  ldapMappings: [{ configId: KASM.id, configName: KASM.values.name, dn: GROUP_1_DN }],
  settings: [{ key: "theme", value: "dark" }],
};
const STATE: ConfigDocumentState = { configs: [KASM], groups: [ADMINISTRATORS, GROUP_1, ALL_USERS] };
const BIND_PASSWORD = "Service-Password-1";

function context(overrides: Partial<PlanContext> = {}): PlanContext {
  return {
    state: STATE,
    env: { LDAP_BIND_PW: BIND_PASSWORD },
    storedPasswords: new Map([[KASM.id, BIND_PASSWORD]]),
    pemProblem: () => undefined,
    ...overrides,
  };
}

function documentOf(json: unknown): ConfigDocument {
  const parsed = parseConfigDocument(JSON.stringify(json));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.document;
}

function plan(json: unknown, overrides: Partial<PlanContext> = {}): PlanResult {
  return planImport(documentOf(json), context(overrides));
}

function planned(json: unknown, overrides: Partial<PlanContext> = {}) {
  const result = plan(json, overrides);
  if (!result.ok) throw new Error(result.error);
  return result.plan;
}

function problem(json: unknown, overrides: Partial<PlanContext> = {}): string {
  const result = plan(json, overrides);
  if (result.ok) throw new Error("the import was planned");
  return result.error;
}

const exported = () => JSON.parse(JSON.stringify(configDocumentOf(STATE))) as ConfigDocument;
const kasmEntry = (changes: Record<string, unknown> = {}) => ({ ...exported().configs[0], ...changes });

describe("planning an import", () => {
  it("finds nothing to change in the portal's own export, and keeps the stored password", () => {
    const result = planned(exported());
    expect(result.changes.map((change) => change.action)).toEqual(["unchanged", "unchanged", "unchanged", "unchanged"]);
    expect(result.writes).toEqual({ configs: [], groups: [] });
    expect(describePlan(result, "preview")).toEqual([
      'unchanged configuration "Kasm AD"',
      'unchanged group "Administrators"',
      'unchanged group "LDAP Group 1"',
      'unchanged group "All Users"',
      "Everything in the portal is in the document (an import never deletes).",
      "Nothing to change: the portal already matches the document.",
    ]);
    // Naming the variable that holds the same password changes nothing either.
    const named = { ...exported(), configs: [kasmEntry({ serviceAccountPasswordEnv: "LDAP_BIND_PW" })] };
    expect(planned(named).writes.configs).toEqual([]);
  });

  it("replaces a stored password that differs from (or cannot be compared with) the variable's", () => {
    const named = { version: 1, configs: [kasmEntry({ serviceAccountPasswordEnv: "LDAP_BIND_PW" })] };
    for (const stored of ["an older password", null]) {
      const result = planned(named, { storedPasswords: new Map([[KASM.id, stored]]) });
      expect(result.writes.configs).toEqual([{ id: KASM.id, values: KASM.values, password: BIND_PASSWORD }]);
      expect(result.changes[0]).toEqual({
        subject: "configuration",
        name: "Kasm AD",
        action: "update",
        details: ["Service Account Password replaced from LDAP_BIND_PW"],
      });
    }
  });

  it("creates a configuration with the password from the variable the document names", () => {
    const openldap = {
      name: "OpenLDAP",
      url: "ldap://127.0.0.1:3890",
      startTls: true,
      searchBase: "DC=kasm,DC=core",
      searchFilter: "&(objectClass=inetOrgPerson)(uid={0})",
      alternateDomains: "kasm.test",
      displayOrder: 1,
      serviceAccountDn: "CN=svc,DC=kasm,DC=core",
      serviceAccountPasswordEnv: "LDAP_OPENLDAP_PW",
    };
    const result = planned({ version: 1, configs: [openldap] }, { env: { LDAP_OPENLDAP_PW: "open-pw" } });
    const { serviceAccountPasswordEnv: _env, ...values } = openldap;
    void _env;
    expect(result.writes.configs).toEqual([{ values: { ...DEFAULTS, ...values }, password: "open-pw" }]);
    expect(describePlan(result, "preview")).toEqual([
      'create configuration "OpenLDAP": ldap://127.0.0.1:3890, DC=kasm,DC=core; Service Account Password from LDAP_OPENLDAP_PW',
      'Not in the document, left as they are (an import never deletes): configuration "Kasm AD", group "Administrators", group "LDAP Group 1", group "All Users"',
      "1 to create, 0 to update, 0 unchanged.",
    ]);
    expect(problem({ version: 1, configs: [openldap] }, { env: {} })).toBe(
      'configs[0].serviceAccountPasswordEnv: The environment variable LDAP_OPENLDAP_PW is not set: set it to the Service Account Password of "OpenLDAP"',
    );
    expect(problem({ version: 1, configs: [openldap] }, { env: { LDAP_OPENLDAP_PW: "" } })).toBe(
      'configs[0].serviceAccountPasswordEnv: The environment variable LDAP_OPENLDAP_PW is empty: set it to the Service Account Password of "OpenLDAP"',
    );
    expect(problem({ version: 1, configs: [{ ...values }] })).toBe(
      'configs[0].serviceAccountPasswordEnv: "OpenLDAP" has a Service Account DN and no stored password: name the environment variable that holds it ("serviceAccountPasswordEnv": "LDAP_BIND_PW")',
    );
  });

  it("lists each changed field, and sends the stored password nowhere it was not given for", () => {
    const moved = { version: 1, configs: [kasmEntry({ syncIntervalMinutes: 30, url: "ldaps://dc2.kasm.core" })] };
    expect(problem(moved)).toBe(
      'configs[0].serviceAccountPasswordEnv: "Kasm AD" changes its URL, Failover URLs, Service Account DN or TLS settings, and the stored password goes only where it was given for: name the environment variable that holds the Service Account Password',
    );
    const withPassword = { version: 1, configs: [{ ...moved.configs[0], serviceAccountPasswordEnv: "LDAP_BIND_PW" }] };
    expect(planned(withPassword).changes[0]!.details).toEqual([
      'url: "ldaps://127.0.0.2:636" → "ldaps://dc2.kasm.core"',
      "syncIntervalMinutes: 15 → 30",
    ]);
    // A change that does not move the password keeps it (no password in the write).
    const kept = planned({ version: 1, configs: [kasmEntry({ syncIntervalMinutes: 30, caCertificate: "" })] });
    expect(kept.writes.configs).toEqual([{ id: KASM.id, values: { ...KASM.values, syncIntervalMinutes: 30 } }]);
  });

  it("makes the server's checks of the form: CA certificates and routing order", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
    expect(
      problem(
        { version: 1, configs: [kasmEntry({ caCertificate: pem, serviceAccountPasswordEnv: "LDAP_BIND_PW" })] },
        { pemProblem: (text) => (text === pem ? "Certificate 1 cannot be read: bad" : undefined) },
      ),
    ).toBe("configs[0].caCertificate: Certificate 1 cannot be read: bad");
    const second = {
      name: "Kasm AD replica",
      url: "ldaps://dc2.kasm.core",
      searchBase: "DC=kasm,DC=core",
      searchFilter: "(sAMAccountName={0})",
    };
    expect(problem({ version: 1, configs: [second] })).toBe(
      'configs[0].displayOrder: kasm.core is also routed to "Kasm AD" with the same display order 0: give one of them a different order so the portal knows which to try first',
    );
    expect(planned({ version: 1, configs: [{ ...second, displayOrder: 1 }] }).writes.configs).toHaveLength(1);
    expect(planned({ version: 1, configs: [{ ...second, enabled: false }] }).writes.configs).toHaveLength(1);
  });

  it("creates and updates groups, their mappings naming configurations of the document or the portal", () => {
    const result = planned({
      version: 1,
      configs: [
        { name: "OpenLDAP", url: "ldap://127.0.0.1:3890", searchBase: "DC=open,DC=test", searchFilter: "(uid={0})" },
      ],
      groups: [
        {
          name: "LDAP Group 1",
          priority: 10,
          ldapMappings: [
            { configuration: "kasm ad", dn: GROUP_1_DN },
            { configuration: "OpenLDAP", dn: "CN=staff,DC=open,DC=test" },
          ],
          settings: [
            { key: "theme", value: "blue" },
            { key: "quota", value: "5" },
          ],
        },
        { name: "Auditors", priority: 20, description: "Read the audit log" },
        {
          systemKey: "administrators",
          ldapMappings: [{ configuration: "Kasm AD", dn: "CN=kasm_admins,DC=kasm,DC=core" }],
        },
      ],
    });
    expect(describePlan(result, "applied")).toEqual([
      'created configuration "OpenLDAP": ldap://127.0.0.1:3890, DC=open,DC=test',
      'updated group "LDAP Group 1": + LDAP group CN=staff,DC=open,DC=test (OpenLDAP); setting theme changed; + setting quota',
      'created group "Auditors": priority 20',
      'updated group "Administrators": + LDAP group CN=kasm_admins,DC=kasm,DC=core (Kasm AD)',
      'Not in the document, left as they are (an import never deletes): configuration "Kasm AD", group "All Users"',
      "Created 2, updated 2, 0 unchanged.",
    ]);
    expect(result.writes.groups).toEqual([
      {
        id: GROUP_1.id,
        fields: { name: "LDAP Group 1", description: "", priority: 10 },
        ldapMappings: [
          { configuration: "Kasm AD", dn: GROUP_1_DN, dnNormalized: "cn=kasm_group_1,ou=myorg,dc=kasm,dc=core" },
          { configuration: "OpenLDAP", dn: "CN=staff,DC=open,DC=test", dnNormalized: "cn=staff,dc=open,dc=test" },
        ],
        settings: [
          { key: "theme", value: "blue" },
          { key: "quota", value: "5" },
        ],
      },
      { fields: { name: "Auditors", description: "Read the audit log", priority: 20 }, ldapMappings: [], settings: [] },
      {
        id: ADMINISTRATORS.id,
        ldapMappings: [
          {
            configuration: "Kasm AD",
            dn: "CN=kasm_admins,DC=kasm,DC=core",
            dnNormalized: "cn=kasm_admins,dc=kasm,dc=core",
          },
        ],
        settings: [],
      },
    ]);
    expect(
      problem({
        version: 1,
        groups: [{ name: "X", priority: 5, ldapMappings: [{ configuration: "Nope", dn: "CN=x" }] }],
      }),
    ).toBe(
      'groups[0].ldapMappings[0].configuration: No LDAP configuration is named "Nope" in the document or in the portal',
    );
    expect(problem({ version: 1, groups: [{ name: "Auditors" }] })).toBe(
      "groups[0].priority: Give the group a priority: a whole number from 0 to 1000000 (a lower number wins)",
    );
  });

  it("keeps priorities unique, and lets the document's groups trade theirs", () => {
    expect(problem({ version: 1, groups: [{ name: "Auditors", priority: 10 }] })).toBe(
      "groups[0].priority: Priority 10 is already used by group LDAP Group 1",
    );
    expect(problem({ version: 1, groups: [{ name: "Auditors", priority: 1 }] })).toBe(
      "groups[0].priority: Priority 1 is already used by group Administrators",
    );
    const swapped = planned({
      version: 1,
      groups: [
        { name: "Auditors", priority: 10 },
        { ...exported().groups[1], priority: 11 },
      ],
    });
    expect(swapped.writes.groups.map((group) => group.fields?.priority)).toEqual([10, 11]);
  });

  it("matches built-in groups by system key or name and never renames them", () => {
    const renamed = planned({ version: 1, groups: [{ systemKey: "administrators", name: "Admins" }] });
    expect(renamed.writes.groups).toEqual([]);
    expect(describePlan(renamed, "preview")).toContain(
      'group "Administrators" is built in, matched by its systemKey "administrators": the name "Admins" in the document is not applied',
    );
    const byName = planned({ version: 1, groups: [{ name: "all users", settings: [] }] });
    expect(byName.writes.groups).toEqual([{ id: ALL_USERS.id, ldapMappings: [], settings: [] }]);
    expect(byName.changes[0]).toMatchObject({ name: "All Users", action: "update", details: ["− setting theme"] });
    expect(problem({ version: 1, groups: [{ name: "Administrators", priority: 3 }] })).toBe(
      'groups[0].priority: Administrators is a built-in group: the document sets only its ldapMappings and settings (add "systemKey": "administrators")',
    );
    expect(
      problem({
        version: 1,
        groups: [{ systemKey: "all_users", ldapMappings: [{ configuration: "Kasm AD", dn: GROUP_1_DN }] }],
      }),
    ).toBe("groups[0].ldapMappings: All Users needs no LDAP Group: every user is already a member.");
    expect(
      problem({ version: 1, groups: [{ systemKey: "administrators" }] }, { state: { configs: [], groups: [] } }),
    ).toBe(
      'groups[0].systemKey: The built-in group "administrators" does not exist yet: start the portal once (npm start), then import',
    );
  });

  it("names the first problem in the document's order", () => {
    const document = {
      version: 1,
      configs: [
        { ...exported().configs[0] },
        {
          name: "New",
          url: "ldap://x",
          searchBase: "DC=x",
          searchFilter: "(uid={0})",
          serviceAccountDn: "CN=svc,DC=x",
        },
      ],
      groups: [{ name: "Auditors", priority: 10 }],
    };
    expect(problem(document)).toBe(
      'configs[1].serviceAccountPasswordEnv: "New" has a Service Account DN and no stored password: name the environment variable that holds it ("serviceAccountPasswordEnv": "LDAP_BIND_PW")',
    );
  });
});
