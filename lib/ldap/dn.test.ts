import { describe, expect, it } from "vitest";
import { dnEquals, dnWithin, domainFromDn, escapeDnValue, firstRdnValue, formatDn, normalizeDn, parseDn } from "./dn";

describe("escapeDnValue", () => {
  it.each([
    // RFC 4514 section 4 examples and section 2.4 rules
    ["Sales", "Sales"],
    ["Doe, Jane", "Doe\\, Jane"],
    ["Sue, Grabbit and Runn", "Sue\\, Grabbit and Runn"],
    ['Before\rAfter "quoted"', 'Before\rAfter \\"quoted\\"'],
    ["a+b;c<d>e=f\\g", "a\\+b\\;c\\<d\\>e\\=f\\\\g"],
    [" leading and trailing ", "\\ leading and trailing\\ "],
    ["#hash", "\\#hash"],
    ["mid#hash", "mid#hash"],
    ["nul\0", "nul\\00"],
    [" ", "\\ "],
    ["Lučić", "Lučić"],
    ["", ""],
  ])("%j -> %j", (input, expected) => {
    expect(escapeDnValue(input)).toBe(expected);
  });

  it.each(["Doe, Jane", " x ", "#1", "a+b=c", "\\", 'q"<>;', "Jöhn"])("round-trips %j through parseDn", (value) => {
    const r = parseDn(`cn=${escapeDnValue(value)},dc=x`);
    expect(r.ok && r.value[0]?.[0]?.value).toBe(value);
  });
});

describe("parseDn", () => {
  it("decodes escapes and keeps #hex values", () => {
    expect(parseDn("CN=Steve Kille,O=Isode Limited,C=GB")).toEqual({
      ok: true,
      value: [
        [{ type: "CN", value: "Steve Kille", hex: false }],
        [{ type: "O", value: "Isode Limited", hex: false }],
        [{ type: "C", value: "GB", hex: false }],
      ],
    });
    expect(parseDn("OU=Sales+CN=J.  Smith,DC=example,DC=net")).toMatchObject({
      ok: true,
      value: [
        [
          { type: "OU", value: "Sales" },
          { type: "CN", value: "J.  Smith" },
        ],
        [{}],
        [{}],
      ],
    });
    expect(parseDn('CN=James \\"Jim\\" Smith\\, III,DC=example')).toMatchObject({
      value: [[{ value: 'James "Jim" Smith, III' }], [{}]],
    });
    expect(parseDn("CN=Before\\0dAfter,DC=example")).toMatchObject({ value: [[{ value: "Before\rAfter" }], [{}]] });
    expect(parseDn("1.3.6.1.4.1.1466.0=#04024869,DC=example")).toMatchObject({
      value: [[{ type: "1.3.6.1.4.1.1466.0", value: "#04024869", hex: true }], [{}]],
    });
    expect(parseDn("CN=Lu\\C4\\8Di\\C4\\87")).toMatchObject({ value: [[{ value: "Lučić" }]] });
    expect(parseDn("cn=a=b")).toMatchObject({ value: [[{ value: "a=b" }]] });
  });

  it("accepts spaces around separators and keeps escaped spaces", () => {
    expect(parseDn(" CN = Kasm_Group_1 , OU=MyOrg ,DC = kasm + uid=x, DC=core ")).toMatchObject({
      ok: true,
      value: [
        [{ type: "CN", value: "Kasm_Group_1" }],
        [{ value: "MyOrg" }],
        [{ value: "kasm" }, { value: "x" }],
        [{ value: "core" }],
      ],
    });
    expect(parseDn("cn=\\ x\\ ,dc=y")).toMatchObject({ value: [[{ value: " x " }], [{}]] });
    expect(parseDn("cn=x\\20 ,dc=y")).toMatchObject({ value: [[{ value: "x " }], [{}]] });
  });

  it("returns the empty DN for an empty string", () => {
    expect(parseDn("")).toEqual({ ok: true, value: [] });
  });

  it.each([
    ["cn=x,", "Malformed DN: empty RDN after ',' at position 5", 5],
    ["cn", "Malformed DN: expected '=' after 'cn' at position 2", 2],
    ["=x", "Malformed DN: missing attribute type at position 0", 0],
    ["cn=a,,dc=b", "Malformed DN: unexpected ',' at position 5", 5],
    ["1cn=x", "Malformed DN: invalid attribute type '1cn' at position 0", 0],
    ["cn=a\\zz", "Malformed DN: '\\' must be followed", 4],
    ["cn=a;b", "Malformed DN: ';' must be escaped at position 4", 4],
    ['cn="quoted"', "Malformed DN: '\"' must be escaped at position 3", 3],
    ["cn=a<b", "Malformed DN: '<' must be escaped at position 4", 4],
    ["cn=#04g", "Malformed DN: unexpected 'g' after a #hex value at position 6", 6],
    ["cn=#012", "Malformed DN: '#' must be followed by hex pairs at position 3", 3],
    ["cn=\\c3\\28", "Malformed DN: escaped bytes are not valid UTF-8 at position 3", 3],
  ])("%j -> %s", (text, message, position) => {
    const r = parseDn(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message.startsWith(message)).toBe(true);
    expect(r.error.position).toBe(position);
  });
});

describe("normalizeDn / dnEquals", () => {
  it.each([
    ["CN=Kasm_Group_1, OU=MyOrg,DC=kasm,DC=core", "cn=kasm_group_1,ou=myorg,dc=kasm,dc=core"],
    ["cn=Doe\\, Jane", "CN=Doe\\2C Jane"],
    ["cn=Doe\\, Jane", "cn=doe\\2c jane"],
    ["uid=jdoe+cn=John,dc=x", "CN=john + UID=JDOE, DC=X"],
    ["OID.2.5.4.3=Fred,0.9.2342.19200300.100.1.25=example", "cn=fred,dc=example"],
    ["cn=John   Doe ,dc=x", "cn=john doe,dc=x"],
    ["cn=L\\C3\\B6we", "cn=Löwe"],
    ["cn=#04024869", "CN=#04024869"],
  ])("%j equals %j", (a, b) => {
    expect(dnEquals(a, b)).toBe(true);
  });

  it.each([
    ["cn=a,dc=x", "cn=b,dc=x"],
    ["cn=a,dc=x", "cn=a"],
    ["cn=a+uid=b", "cn=a,uid=b"],
    ["cn=a,", "cn=a,"],
  ])("%j differs from %j", (a, b) => {
    expect(dnEquals(a, b)).toBe(false);
  });

  it("writes a canonical form", () => {
    expect(normalizeDn(" CN=Doe\\2C Jane+UID=J , OU=My  Org,DC=Kasm")).toEqual({
      ok: true,
      value: "cn=doe\\, jane+uid=j,ou=my org,dc=kasm",
    });
    expect(normalizeDn("cn=\\#x\\=\\ ")).toEqual({ ok: true, value: "cn=\\#x\\=" });
  });
});

describe("helpers", () => {
  it.each([
    ["OU=MyOrg,DC=kasm,DC=core", "kasm.core"],
    ["DC=kasm,DC=core", "kasm.core"],
    ["CN=x,OU=y,dc=Example,dc=COM", "example.com"],
    ["DC=a,OU=b,DC=c,DC=d", "c.d"],
    ["ou=people,o=example", undefined],
    ["", undefined],
    ["not a dn", undefined],
  ])("domainFromDn(%j) = %j", (dn, domain) => {
    expect(domainFromDn(dn)).toBe(domain);
  });

  it.each([
    ["CN=Kasm_Group_1,OU=MyOrg,DC=kasm,DC=core", "Kasm_Group_1"],
    ["cn=kasm_group_1,ou=myorg,dc=kasm,dc=core", "kasm_group_1"],
    ["cn=Doe\\, Jane,dc=x", "Doe, Jane"],
    ["", undefined],
    ["cn", undefined],
  ])("firstRdnValue(%j) = %j", (dn, value) => {
    expect(firstRdnValue(dn)).toBe(value);
  });

  it("formats parsed RDNs back to RFC 4514 text", () => {
    const r = parseDn("CN=Doe\\2C Jane + UID=j,1.2.3=#0401,DC=x");
    expect(r.ok && formatDn(r.value)).toBe("CN=Doe\\, Jane+UID=j,1.2.3=#0401,DC=x");
  });
});

describe("dnWithin: what a search from a base returns", () => {
  const base = "OU=MyOrg,DC=kasm,DC=core";
  it.each([
    ["CN=g,OU=MyOrg,DC=kasm,DC=core", true, true],
    ["cn=G, ou=myorg, dc=KASM, dc=core", true, true],
    ["CN=g,OU=Bulk,OU=MyOrg,DC=kasm,DC=core", true, false],
    ["OU=MyOrg,DC=kasm,DC=core", true, false],
    ["CN=g,CN=Users,DC=kasm,DC=core", false, false],
    ["DC=kasm,DC=core", false, false],
    // an escaped comma is part of a value, not an RDN boundary
    ["CN=x\\,OU=MyOrg,DC=kasm,DC=core", false, false],
  ])("%s: subtree %s, one level %s", (dn, subtree, oneLevel) => {
    expect(dnWithin(dn, base, true)).toBe(subtree);
    expect(dnWithin(dn, base, false)).toBe(oneLevel);
  });
});
