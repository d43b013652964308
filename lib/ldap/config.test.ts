import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  configError,
  LDAP_CONFIG_DEFAULTS,
  ldapConfigFileSchema,
  ldapConfigInputOf,
  ldapConfigSchema,
  ldapConnectionSchema,
  toLdapConfig,
} from "./config";

const REQUIRED = {
  name: "Kasm",
  url: "ldaps://dc.kasm.core",
  searchBase: "DC=kasm,DC=core",
  searchFilter: "(sAMAccountName={0})",
};

/** The `@default(...)` of every field of the Prisma model LdapConfig, as JavaScript values. */
function prismaDefaults(): Record<string, unknown> {
  const schema = fs.readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
  const model = /model LdapConfig \{([\s\S]*?)\n\}/.exec(schema)?.[1] ?? "";
  const defaults: Record<string, unknown> = {};
  for (const match of model.matchAll(/^[ \t]+(\w+)[ \t]+\w+\??[ \t][^\n]*@default\(([^)\n]*\)?)\)/gm)) {
    const [, field = "", value = ""] = match;
    if (value.includes("(")) continue; // cuid(), now(): not a value of the form
    defaults[field] = JSON.parse(value);
  }
  return defaults;
}

describe("the LDAP configuration schema", () => {
  it("gives a new configuration the defaults the database gives a row", () => {
    const stored = prismaDefaults();
    expect(Object.keys(stored).length).toBeGreaterThan(10);
    for (const [field, value] of Object.entries(stored)) {
      expect(LDAP_CONFIG_DEFAULTS[field as keyof typeof LDAP_CONFIG_DEFAULTS], field).toEqual(value);
    }
  });

  it("fills every left-out field with its default", () => {
    const parsed = ldapConfigSchema.parse(REQUIRED);
    expect(parsed).toEqual({ ...LDAP_CONFIG_DEFAULTS, ...REQUIRED });
  });

  it("refuses a missing Search Base and Search Filter at their fields", () => {
    const result = ldapConfigSchema.safeParse({ name: "x", url: "ldap://dc" });
    const fields = result.error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(fields).toEqual([
      ["searchBase", "Enter the Search Base"],
      ["searchFilter", "Enter the Search Filter"],
    ]);
  });

  it("refuses an empty URL", () => {
    const result = ldapConfigSchema.safeParse({ ...REQUIRED, url: " " });
    expect(result.error?.issues[0]?.path).toEqual(["url"]);
  });

  it("refuses StartTLS with an ldaps:// failover URL at the StartTLS field", () => {
    const result = ldapConfigSchema.safeParse({
      ...REQUIRED,
      url: "ldap://dc1",
      failoverUrls: "ldaps://dc2",
      startTls: true,
    });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["startTls"]);
  });

  it("Detect checks only where and how to connect", () => {
    expect(ldapConnectionSchema.safeParse({ url: "ldap://dc1" }).success).toBe(true);
    expect(ldapConnectionSchema.safeParse({ url: "http://dc1" }).success).toBe(false);
  });
});

describe("the CLI's configuration file", () => {
  it("takes the failover list as an array or as text", () => {
    const { name, ...engine } = REQUIRED;
    void name;
    const fromArray = ldapConfigFileSchema.parse({ ...engine, failoverUrls: ["ldaps://dc2", "ldaps://dc3"] });
    const fromText = ldapConfigFileSchema.parse({ ...engine, failoverUrls: "ldaps://dc2, ldaps://dc3" });
    expect(toLdapConfig(fromArray).failoverUrls).toEqual(["ldaps://dc2", "ldaps://dc3"]);
    expect(toLdapConfig(fromText).failoverUrls).toEqual(["ldaps://dc2", "ldaps://dc3"]);
  });

  it("refuses a key it does not know, and the portal's own fields", () => {
    const { name, ...engine } = REQUIRED;
    void name;
    expect(ldapConfigFileSchema.safeParse({ ...engine, serchBase: "x" }).error?.issues[0]?.message).toMatch(
      /serchBase/,
    );
    expect(ldapConfigFileSchema.safeParse({ ...engine, enabled: true }).success).toBe(false);
  });
});

describe("the engine's configuration", () => {
  it("leaves out the portal's fields and turns empty optional text into undefined", () => {
    const config = toLdapConfig(ldapConfigSchema.parse(REQUIRED));
    expect(config).not.toHaveProperty("name");
    expect(config).not.toHaveProperty("displayOrder");
    expect(config.caCertificate).toBeUndefined();
    expect(config.requiredGroupDn).toBeUndefined();
    expect(config.failoverUrls).toEqual([]);
  });

  it("round-trips through the form's values", () => {
    const config = toLdapConfig(
      ldapConfigSchema.parse({
        ...REQUIRED,
        failoverUrls: "ldaps://dc2\nldaps://dc3",
        requiredGroupDn: "CN=g,DC=kasm,DC=core",
      }),
    );
    expect(toLdapConfig(ldapConfigInputOf(config))).toEqual(config);
  });

  it("names the code of what is wrong with a configuration built by hand", () => {
    const config = toLdapConfig(ldapConfigSchema.parse(REQUIRED));
    expect(configError(config)).toBeUndefined();
    expect(configError({ ...config, url: "http://dc" })?.code).toBe("invalid_url");
    expect(configError({ ...config, searchFilter: "(uid={0}" })?.code).toBe("invalid_filter");
    expect(configError({ ...config, searchBase: "not a dn" })?.code).toBe("invalid_config");
    expect(configError({ ...config, startTls: true })?.code).toBe("invalid_url");
  });
});
