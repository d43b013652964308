import { describe, expect, it } from "vitest";
import { LDAP_CONFIG_DEFAULTS, ldapConfigSchema } from "@/lib/ldap/config";
import { groupSchema } from "@/lib/validation/group";
import { CONFIG_FIELDS, parseConfigDocument } from "./schema";

const CONFIG = {
  name: "Kasm AD",
  url: "ldaps://127.0.0.2:636",
  searchBase: "DC=kasm,DC=core",
  searchFilter: "&(objectClass=user)(sAMAccountName={0})",
};
const GROUP = {
  name: "LDAP Group 1",
  description: "Members of kasm_group_1",
  priority: 10,
  ldapMappings: [{ configuration: "Kasm AD", dn: "CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core" }],
  settings: [{ key: "theme", value: "dark" }],
};

function parse(document: unknown) {
  return parseConfigDocument(JSON.stringify(document));
}

/** The first problem of a document, as `path: message`. */
function problem(document: unknown): string {
  const parsed = parse(document);
  if (parsed.ok) throw new Error("the document was accepted");
  return parsed.error;
}

/** The form schema's message for these LDAP configuration values. */
function formMessage(values: Record<string, unknown>): string {
  const parsed = ldapConfigSchema.safeParse(values);
  if (parsed.success) throw new Error("the form accepted the values");
  return parsed.error.issues[0]!.message;
}

describe("the configuration document", () => {
  it("reads configurations with the form's defaults for what they leave out, and groups", () => {
    const parsed = parse({
      version: 1,
      configs: [{ ...CONFIG, serviceAccountPasswordEnv: "LDAP_BIND_PW" }],
      groups: [GROUP],
    });
    expect(parsed).toEqual({
      ok: true,
      document: {
        version: 1,
        configs: [
          {
            ...(({ serviceAccountPassword, ...rest }) => (void serviceAccountPassword, rest))(LDAP_CONFIG_DEFAULTS),
            ...CONFIG,
            serviceAccountPasswordEnv: "LDAP_BIND_PW",
          },
        ],
        groups: [GROUP],
      },
    });
  });

  it("carries every field of the LDAP form but the password, which it names by variable", () => {
    const formFields = Object.keys(ldapConfigSchema.shape).filter((field) => field !== "serviceAccountPassword");
    expect(CONFIG_FIELDS).toEqual([...formFields, "serviceAccountPasswordEnv"]);
  });

  it("names the first bad field by its path, with the form's message", () => {
    expect(problem({ version: 1, configs: [CONFIG, { ...CONFIG, name: "Second", url: "http://dc.kasm.core" }] })).toBe(
      "configs[1].url: URL must start with ldap:// or ldaps://",
    );
    const badFilter = { ...CONFIG, searchFilter: "(uid=" };
    expect(problem({ version: 1, configs: [badFilter] })).toBe(`configs[0].searchFilter: ${formMessage(badFilter)}`);
    const startTlsOnLdaps = { ...CONFIG, startTls: true };
    expect(problem({ version: 1, configs: [startTlsOnLdaps] })).toBe(
      `configs[0].startTls: ${formMessage(startTlsOnLdaps)}`,
    );
    expect(problem({ version: 1, configs: [{ ...CONFIG, connectTimeoutMs: 5 }] })).toBe(
      "configs[0].connectTimeoutMs: Connect Timeout must be at least 100 ms",
    );
    // Within an entry, the first field in the form's order comes first.
    expect(problem({ version: 1, configs: [{ ...CONFIG, name: "", url: "nope" }] })).toBe(
      "configs[0].name: Enter a name",
    );
  });

  it("refuses an unknown key anywhere, naming it and the fields that exist", () => {
    expect(problem({ version: 1, configs: [{ ...CONFIG, urls: ["ldaps://x"] }] })).toMatch(
      /^configs\[0\]\.urls: unknown field \(the fields here are name, url, failoverUrls, /,
    );
    expect(problem({ version: 1, configs: [], groups: [], users: [] })).toBe(
      "users: unknown field (the fields here are version, configs, groups)",
    );
    expect(
      problem({
        version: 1,
        groups: [{ ...GROUP, ldapMappings: [{ configuration: "Kasm AD", dn: "CN=a", group: 1 }] }],
      }),
    ).toBe("groups[0].ldapMappings[0].group: unknown field (the fields here are configuration, dn)");
    expect(problem({ version: 1, groups: [{ ...GROUP, members: [] }] })).toBe(
      "groups[0].members: unknown field (the fields here are name, systemKey, description, priority, ldapMappings, settings)",
    );
  });

  it("never takes a password, only the name of the variable that holds it", () => {
    expect(problem({ version: 1, configs: [{ ...CONFIG, serviceAccountPassword: "secret" }] })).toBe(
      "configs[0].serviceAccountPassword: a document never holds a password: put it in an environment variable and name that variable in serviceAccountPasswordEnv",
    );
    expect(problem({ version: 1, configs: [{ ...CONFIG, serviceAccountPasswordEnv: "1PW" }] })).toBe(
      "configs[0].serviceAccountPasswordEnv: Name an environment variable: letters, digits and _, not starting with a digit",
    );
    // Only variables meant for it: never the database URL, the portal's secrets or another credential of the server.
    for (const name of ["ENCRYPTION_KEY", "DATABASE_URL", "AWS_SECRET_ACCESS_KEY"])
      expect(problem({ version: 1, configs: [{ ...CONFIG, serviceAccountPasswordEnv: name }] })).toBe(
        "configs[0].serviceAccountPasswordEnv: Name a variable starting with LDAP_, e.g. LDAP_BIND_PW: an import reads no other variable of the server",
      );
  });

  it("checks groups with the group form's rules and messages", () => {
    expect(problem({ version: 1, groups: [{ ...GROUP, name: " " }] })).toBe("groups[0].name: Enter a name");
    expect(problem({ version: 1, groups: [{ ...GROUP, priority: 1.5 }] })).toBe(
      "groups[0].priority: Enter a whole number",
    );
    const badDn = { configId: "c0", dn: "CN=a,,DC=x" };
    const formError = groupSchema.safeParse({ ...GROUP, ldapMappings: [badDn] });
    expect(
      problem({ version: 1, groups: [{ ...GROUP, ldapMappings: [{ configuration: "Kasm AD", dn: badDn.dn }] }] }),
    ).toBe(`groups[0].ldapMappings[0].dn: ${formError.error!.issues[0]!.message}`);
    const twice = { configuration: "Kasm AD", dn: "cn=KASM_GROUP_1, ou=MyOrg,dc=kasm,dc=core" };
    expect(problem({ version: 1, groups: [{ ...GROUP, ldapMappings: [...GROUP.ldapMappings, twice] }] })).toBe(
      "groups[0].ldapMappings[1].dn: The same LDAP group is already listed in row 1",
    );
    // The same DN is mapped once per configuration: each directory grants it on its own.
    const elsewhere = { ...twice, configuration: "OpenLDAP" };
    expect(parse({ version: 1, groups: [{ ...GROUP, ldapMappings: [...GROUP.ldapMappings, elsewhere] }] }).ok).toBe(
      true,
    );
    expect(problem({ version: 1, groups: [{ ...GROUP, settings: [{ key: "a b", value: "x" }] }] })).toBe(
      "groups[0].settings[0].key: Use letters, digits, '_', '-' and '.' only",
    );
    // A blank row is a mistake in a file, not a form's empty line.
    expect(problem({ version: 1, groups: [{ ...GROUP, ldapMappings: [{ configuration: "Kasm AD", dn: "" }] }] })).toBe(
      "groups[0].ldapMappings[0].dn: Enter a DN such as CN=kasm_group_1,OU=MyOrg,DC=kasm,DC=core",
    );
    expect(problem({ version: 1, groups: [{ ...GROUP, settings: [{ value: "x" }] }] })).toBe(
      "groups[0].settings[0].key: Enter a key for this value",
    );
    expect(problem({ version: 1, groups: [{ ...GROUP, ldapMappings: [{ dn: "CN=a" }] }] })).toBe(
      "groups[0].ldapMappings[0].configuration: Name the LDAP configuration that returns this group",
    );
  });

  it("lets a built-in group carry mappings and settings only", () => {
    const administrators = { systemKey: "administrators", name: "Administrators", ldapMappings: [], settings: [] };
    expect(parse({ version: 1, groups: [administrators] })).toMatchObject({ ok: true });
    expect(parse({ version: 1, groups: [{ systemKey: "all_users", settings: [{ key: "a", value: "b" }] }] })).toEqual({
      ok: true,
      document: {
        version: 1,
        configs: [],
        groups: [{ systemKey: "all_users", ldapMappings: [], settings: [{ key: "a", value: "b" }] }],
      },
    });
    expect(problem({ version: 1, groups: [{ ...administrators, priority: 5 }] })).toBe(
      "groups[0].priority: Administrators is a built-in group: the document sets only its ldapMappings and settings",
    );
    expect(problem({ version: 1, groups: [{ systemKey: "auditors" }] })).toBe(
      'groups[0].systemKey: Use "administrators" or "all_users" (the built-in groups), or leave systemKey out',
    );
  });

  it("refuses two entries with one name (regardless of case) or one priority", () => {
    expect(problem({ version: 1, configs: [CONFIG, { ...CONFIG, name: "KASM ad" }] })).toBe(
      'configs[1].name: The document already has a configuration named "KASM ad" (configs[0])',
    );
    expect(problem({ version: 1, groups: [GROUP, { ...GROUP, name: "Other", ldapMappings: [] }] })).toBe(
      "groups[1].priority: Priority 10 is already used by group LDAP Group 1 (groups[0])",
    );
    expect(problem({ version: 1, groups: [GROUP, { ...GROUP, name: "ldap group 1", priority: 11 }] })).toBe(
      'groups[1].name: The document already has a group named "ldap group 1" (groups[0])',
    );
    expect(problem({ version: 1, groups: [{ systemKey: "all_users" }, { systemKey: "all_users" }] })).toBe(
      'groups[1].systemKey: The document already lists the built-in group "all_users" (groups[0])',
    );
  });

  it("says what is wrong with a file that is not a version 1 document", () => {
    expect(problem({ configs: [] })).toBe('version: This portal reads version 1 documents: set "version": 1');
    expect(problem({ version: 2 })).toBe('version: This portal reads version 1 documents: set "version": 1');
    expect(problem([])).toBe('The document must be a JSON object: { "version": 1, "configs": [...], "groups": [...] }');
    expect(parseConfigDocument("{ version: 1 }")).toEqual({
      ok: false,
      error: expect.stringMatching(/^The document is not JSON: /),
    });
    expect(problem({ version: 1, configs: {} })).toBe("configs: List the LDAP configurations as an array");
  });
});
