import { describe, expect, it } from "vitest";
import { CONFIG_DEFAULTS, type LdapConfig } from "../config";
import { compiled, configurationVersion, forgetConfiguration } from "./registry";

const config = (overrides: Partial<LdapConfig> = {}): LdapConfig => ({
  ...CONFIG_DEFAULTS,
  url: "ldap://127.0.0.1:3890",
  searchBase: "dc=kasm,dc=core",
  searchFilter: "(&(objectClass=inetOrgPerson)(uid={0}))",
  groupMembershipFilter: "(&(objectClass=groupOfNames)(member={0}))",
  serviceAccountPassword: "Service-Secret-1",
  ...overrides,
});

describe("the configuration registry", () => {
  it("compiles one version once: equal content in other objects shares the entry", () => {
    const first = compiled(config());
    expect(compiled(config())).toBe(first);
    expect(compiled({ ...config() })).toBe(first);
    expect(first.invalid).toBeUndefined();
    expect(first.searchFilter.ok).toBe(true);
    expect(first.groupFilter?.memberAttribute).toBe("member");
  });

  it("another value of any field is another version; the password is only hashed", () => {
    const version = configurationVersion(config());
    expect(configurationVersion(config({ serviceAccountPassword: "Service-Secret-2" }))).not.toBe(version);
    expect(configurationVersion(config({ nestedGroupsCacheSeconds: 0 }))).not.toBe(version);
    expect(version).not.toContain("Service-Secret-1");
    expect(compiled(config()).connectionKey).not.toContain("Service-Secret-1");
  });

  it("forgetConfiguration drops the entry: the next use compiles the version again", async () => {
    const kept = config({ url: "ldap://127.0.0.1:3891" });
    const before = compiled(kept);
    await forgetConfiguration(kept);
    const after = compiled(kept);
    expect(after).not.toBe(before);
    expect(after.version).toBe(before.version);
  });

  it("records the verdict of an unusable configuration once, without throwing", () => {
    const broken = compiled(config({ searchFilter: "(uid={0}" }));
    expect(broken.invalid?.code).toBe("invalid_filter");
    expect(broken.searchFilter.ok).toBe(false);
  });
});
