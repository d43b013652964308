import { describe, expect, it } from "vitest";
import { claimsDomain, domainsOf } from "./domains";

describe("login routing by domain", () => {
  it("maps the Search Base DCs to the login domain, as the documentation says", () => {
    expect(domainsOf({ searchBase: "OU=MyOrg,DC=kasm,DC=core", alternateDomains: "" })).toEqual(["kasm.core"]);
    expect(claimsDomain({ searchBase: "DC=kasm,DC=core", alternateDomains: "" }, "kasm.core")).toBe(true);
    expect(claimsDomain({ searchBase: "DC=kasm,DC=core", alternateDomains: "" }, "kasm.local")).toBe(false);
  });

  it("adds the alternate domains, and * for usernames typed without a domain", () => {
    const config = { searchBase: "dc=kasm,dc=core", alternateDomains: "KASM.local, corp.example ,*" };
    expect(domainsOf(config)).toEqual(["kasm.core", "kasm.local", "corp.example", "*"]);
    expect(claimsDomain(config, "corp.example")).toBe(true);
    expect(claimsDomain(config, undefined)).toBe(true);
    expect(claimsDomain({ searchBase: "dc=kasm,dc=core", alternateDomains: "" }, undefined)).toBe(false);
  });
});
