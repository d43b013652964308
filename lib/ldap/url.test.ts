import { describe, expect, it } from "vitest";
import { parseLdapUrl, parseUrlList } from "./url";

describe("parseLdapUrl", () => {
  it.each([
    ["ldap://dc1.kasm.core", "ldap", "dc1.kasm.core", 389, "ldap://dc1.kasm.core:389"],
    ["ldaps://dc1.kasm.core", "ldaps", "dc1.kasm.core", 636, "ldaps://dc1.kasm.core:636"],
    ["LDAPS://DC1.Kasm.Core:3269/", "ldaps", "dc1.kasm.core", 3269, "ldaps://dc1.kasm.core:3269"],
    ["  ldap://127.0.0.1:1389  ", "ldap", "127.0.0.1", 1389, "ldap://127.0.0.1:1389"],
    ["ldap://[::1]", "ldap", "::1", 389, "ldap://[::1]:389"],
    ["ldaps://[2001:DB8:0:0::1]:10636", "ldaps", "2001:db8::1", 10636, "ldaps://[2001:db8::1]:10636"],
    ["ldap://localhost", "ldap", "localhost", 389, "ldap://localhost:389"],
    ["ldap://my_dc.corp", "ldap", "my_dc.corp", 389, "ldap://my_dc.corp:389"],
  ])("%j", (text, protocol, host, port, url) => {
    expect(parseLdapUrl(text)).toEqual({ ok: true, value: { protocol, host, port, url } });
  });

  it.each([
    ["", "Enter an LDAP URL"],
    ["dc1.kasm.core", "URL must start with ldap:// or ldaps://"],
    ["http://dc1", "URL must start with ldap:// or ldaps://"],
    ["ldapi:///var/run/slapd.sock", "URL must start with ldap:// or ldaps://"],
    ["ldap:/dc1", "URL must start with ldap:// or ldaps://"],
    ["ldap://", "Missing host"],
    ["ldap://:389", "Missing host"],
    ["ldap://dc1:99999", "Invalid port 99999"],
    ["ldap://dc1:0", "Invalid port 0"],
    ["ldap://dc1:abc", "Invalid port abc"],
    ["ldap://dc1:", "Missing port after ':'"],
    [
      "ldap://dc1/DC=kasm,DC=core",
      "LDAP URLs here take no path, filter or extensions; put the search base in Search Base",
    ],
    [
      "ldap://dc1/??sub?(uid=x)",
      "LDAP URLs here take no path, filter or extensions; put the search base in Search Base",
    ],
    ["ldap://dc1?x", "LDAP URLs here take no path, filter or extensions; put the search base in Search Base"],
    ["ldap://dc 1", "URL contains whitespace at position 9"],
    [
      "ldap://admin:secret@dc1",
      "Credentials don't belong in the URL; use Service Account DN and Service Account Password",
    ],
    ["ldap://::1", "Put an IPv6 address in brackets, e.g. ldap://[2001:db8::1]"],
    ["ldap://[::1", "Invalid IPv6 address: missing ']'"],
    ["ldap://[zz::1]", "Invalid IPv6 address [zz::1]"],
    ["ldap://[::1]x", "Unexpected 'x' after the IPv6 address"],
    ["ldap://-dc1", "Invalid host -dc1"],
    ["ldap://dc1..corp", "Invalid host dc1..corp"],
    ["ldap://300.1.1.1", "Invalid IPv4 address 300.1.1.1"],
  ])("%j -> %s", (text, message) => {
    const r = parseLdapUrl(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });
});

describe("parseUrlList", () => {
  it("splits on commas and newlines, skipping blanks", () => {
    const r = parseUrlList("ldaps://dc1.kasm.core, ldaps://dc2.kasm.core:3269\n\nldap://[::1],");
    expect(r.ok && r.value.map((u) => u.url)).toEqual([
      "ldaps://dc1.kasm.core:636",
      "ldaps://dc2.kasm.core:3269",
      "ldap://[::1]:389",
    ]);
  });

  it("reports every bad entry", () => {
    expect(parseUrlList("ldap://dc1\r\nhttp://x, ldap://dc2:99999,LDAP://DC1:389")).toEqual({
      ok: false,
      error: {
        message:
          "http://x: URL must start with ldap:// or ldaps://; ldap://dc2:99999: Invalid port 99999; LDAP://DC1:389: Duplicate of ldap://dc1:389",
        entries: [
          { entry: "http://x", index: 1, message: "URL must start with ldap:// or ldaps://" },
          { entry: "ldap://dc2:99999", index: 2, message: "Invalid port 99999" },
          { entry: "LDAP://DC1:389", index: 3, message: "Duplicate of ldap://dc1:389" },
        ],
      },
    });
  });

  it("needs at least one URL", () => {
    expect(parseUrlList(" ,\n")).toEqual({ ok: false, error: { message: "Enter at least one LDAP URL", entries: [] } });
  });
});
