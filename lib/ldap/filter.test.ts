import { describe, expect, it } from "vitest";
import {
  inChainClassClauses,
  escapeFilterValue,
  filterValueBuffer,
  filterValueBytes,
  filterPlaceholders,
  memberAttributeOf,
  normalizeFilterText,
  parseFilter,
  renderFilter,
  stringifyFilter,
  usesInChainRule,
  validateFilterTemplate,
  type FilterNode,
} from "./filter";

const AD_USER =
  "&(objectClass=user)(sAMAccountName={0})(memberof:1.2.840.113556.1.4.1941:=CN=all_kasm_app_users,OU=MyOrg,DC=kasm,DC=core)";
const AD_GROUP = "&(objectClass=group)(member:1.2.840.113556.1.4.1941:={0})";
const LDAP_USER = "(&(objectClass=inetOrgPerson)(uid={0}))";
const LDAP_GROUP = "(&(objectClass=groupOfNames)(member={0}))";
const UNIQUE_GROUP = "(&(objectClass=groupOfUniqueNames)(uniqueMember={dn}))";
const POSIX_GROUP = "(&(objectClass=posixGroup)(memberUid={username}))";

function parsed(text: string): FilterNode {
  const r = parseFilter(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error.message}`);
  return r.value;
}

describe("escapeFilterValue", () => {
  it.each([
    // RFC 4515 section 4 examples
    ["Parens R Us (for all your parenthetical needs)", "Parens R Us \\28for all your parenthetical needs\\29"],
    ["*", "\\2a"],
    ["C:\\MyFile", "C:\\5cMyFile"],
    ["\0\0\0\u0004", "\\00\\00\\00\\04"],
    ["*)(uid=*", "\\2a\\29\\28uid=\\2a"],
    [")(|(objectClass=*", "\\29\\28|\\28objectClass=\\2a"],
    ["\\2a", "\\5c2a"],
    ["a\nb\tc\u007f", "a\\0ab\\09c\\7f"],
    ["Jöhn", "Jöhn"],
    ["Lučić", "Lučić"],
    ["用户", "用户"],
    ["\u0085", "\u0085"], // C1 passes through as UTF-8 (ldapts would mis-decode \c2\85)
    ["plain.user-1_x", "plain.user-1_x"],
    ["", ""],
  ])("%j -> %j", (input, expected) => {
    expect(escapeFilterValue(input)).toBe(expected);
  });
});

describe("parseFilter: accepted", () => {
  it.each([
    AD_USER,
    AD_GROUP,
    LDAP_USER,
    LDAP_GROUP,
    UNIQUE_GROUP,
    POSIX_GROUP,
    "(cn=Babs Jensen)",
    "(!(cn=Tim Howes))",
    "(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))",
    "(o=univ*of*mich*)",
    "(seeAlso=)",
    "(cn:caseExactMatch:=Fred Flintstone)",
    "(cn:=Betty Rubble)",
    "(sn:dn:2.4.6.8.10:=Barney Rubble)",
    "(o:dn:=Ace Industry)",
    "(:1.2.3:=Wilma Flintstone)",
    "(:DN:2.4.6.8.10:=Dino)",
    "(o=Parens R Us \\28for all your parenthetical needs\\29)",
    "(cn=*\\2A*)",
    "(filename=C:\\5cMyFile)",
    "(bin=\\00\\00\\00\\04)",
    "(sn=Lu\\c4\\8di\\c4\\87)",
    "(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)",
    "(cn;lang-en=x)",
    "(2.5.4.3=x)",
    "(uid>=m)",
    "(uid<=m)",
    "(cn~=jon)",
    "(memberof:1.2.840.113556.1.4.1941:=CN=all_kasm_app_users,OU=MyOrg,DC=kasm,DC=core)",
    "(member:1.2.840.113556.1.4.1941:={0})",
    "sAMAccountName={0}",
    "  (uid={0})  ",
  ])("%s", (text) => {
    expect(parseFilter(text).ok).toBe(true);
  });

  it("builds the tree", () => {
    expect(parsed("(&(objectClass=user)(cn=ab*c*d)(mail=*)(!(x>=\\2a)))")).toEqual({
      type: "and",
      children: [
        { type: "equality", attribute: "objectClass", value: { raw: "user", value: "user" } },
        {
          type: "substring",
          attribute: "cn",
          initial: { raw: "ab", value: "ab" },
          any: [{ raw: "c", value: "c" }],
          final: { raw: "d", value: "d" },
        },
        { type: "present", attribute: "mail" },
        { type: "not", child: { type: "ge", attribute: "x", value: { raw: "\\2a", value: "*" } } },
      ],
    });
    expect(parsed("(sn:dn:2.4.6.8.10:=Barney)")).toEqual({
      type: "extensible",
      attribute: "sn",
      dnAttributes: true,
      matchingRule: "2.4.6.8.10",
      value: { raw: "Barney", value: "Barney" },
    });
    expect(parsed("(:1.2.3:=x)")).toEqual({
      type: "extensible",
      dnAttributes: false,
      matchingRule: "1.2.3",
      value: { raw: "x", value: "x" },
    });
    expect(parsed("(cn=*x)")).toEqual({ type: "substring", attribute: "cn", any: [], final: { raw: "x", value: "x" } });
    expect(parsed("(sn=Lu\\c4\\8di\\c4\\87)")).toMatchObject({ value: { value: "Lučić" } });
  });

  it("treats the documentation form without outer parentheses as the standard form", () => {
    expect(parsed("&(objectClass=user)(sAMAccountName={0})")).toEqual(
      parsed("(&(objectClass=user)(sAMAccountName={0}))"),
    );
    expect(normalizeFilterText(AD_GROUP)).toEqual({ ok: true, value: `(${AD_GROUP})` });
    expect(normalizeFilterText(" uid={0} ")).toEqual({ ok: true, value: "(uid={0})" });
    expect(normalizeFilterText(LDAP_USER)).toEqual({ ok: true, value: LDAP_USER });
  });
});

describe("parseFilter: errors say where", () => {
  it.each([
    ["", "Empty filter", undefined],
    ["   ", "Empty filter", undefined],
    ["()", "Empty filter at position 1", 1],
    ["(&(objectClass=user)(sAMAccountName=x)", "Missing ')' at position 38", 38],
    ["&(objectClass=user)(sAMAccountName=x", "Missing ')' at position 36", 36],
    ["(uid=x))", "Unexpected ')' at position 7", 7],
    ["(objectClass=user))(uid=x)", "Unexpected ')' at position 18", 18],
    ["(uid=x)(cn=y)", "Unexpected '(' at position 7", 7],
    ["(obj ectClass=user)", "Invalid attribute description at position 4", 4],
    ["(1abc=x)", "Invalid attribute description '1abc' at position 1", 1],
    ["(=x)", "Missing attribute description at position 1", 1],
    ["(objectClass)", "Missing '=' at position 12", 12],
    ["(cn=\\zz)", "Invalid escape at position 4", 4],
    ["(cn=\\2)", "Invalid escape at position 4", 4],
    ["(cn=a(b)", "Unexpected '(' at position 5", 5],
    ["(cn=a\0b)", "Unexpected NUL at position 5", 5],
    ["(cn=a**b)", "Consecutive '*' at position 6", 6],
    ["(cn>=a*)", "Unexpected '*' at position 6", 6],
    ["(member:1.2.840.113556.1.4.1941:=*)", "Unexpected '*' at position 33", 33],
    ["(&)", "Empty '&' at position 1", 1],
    ["(|(a=b) (c=d))", "Unexpected ' ' at position 7", 7],
    ["(!a=b)", "Unexpected 'a' at position 2", 2],
    ["(:=x)", "Extensible match at position 1 needs an attribute or a matching rule", 1],
    ["(cn:bad rule:=x)", "Unexpected ' ' at position 7", 7],
    ["(cn:1.2.:=x)", "Invalid matching rule '1.2.' at position 4", 4],
    ["((cn=x))", "Unexpected '(' at position 1", 1],
  ])("%j", (text, message, position) => {
    const r = parseFilter(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message.startsWith(message)).toBe(true);
    expect(r.error.position).toBe(position);
  });
});

describe("renderFilter", () => {
  const injection = [
    "*",
    "*)(uid=*",
    ")(|(objectClass=*",
    "\\",
    "\0",
    "\\2a",
    "Jöhn",
    "a)(b",
    "x*y",
    "{0}",
    "  spaced  ",
  ];

  it.each(injection)("keeps %j a single equality value", (input) => {
    const r = renderFilter(LDAP_USER, { "0": input });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const tree = parsed(r.value);
    expect(tree).toMatchObject({
      type: "and",
      children: [{}, { type: "equality", attribute: "uid", value: { value: input } }],
    });
    expect(tree.type === "and" && tree.children.length).toBe(2);
  });

  it("renders the documentation filters in standard form", () => {
    expect(renderFilter(AD_USER, { "0": "test_user_1" })).toEqual({
      ok: true,
      value:
        "(&(objectClass=user)(sAMAccountName=test_user_1)(memberof:1.2.840.113556.1.4.1941:=CN=all_kasm_app_users,OU=MyOrg,DC=kasm,DC=core))",
    });
    expect(renderFilter(AD_GROUP, { "0": "CN=Test User 1,OU=MyOrg,DC=kasm,DC=core" })).toEqual({
      ok: true,
      value: "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:=CN=Test User 1,OU=MyOrg,DC=kasm,DC=core))",
    });
    expect(renderFilter(POSIX_GROUP, { username: "jdoe", dn: "uid=jdoe" })).toEqual({
      ok: true,
      value: "(&(objectClass=posixGroup)(memberUid=jdoe))",
    });
    expect(renderFilter("(cn=*{0}*)", { "0": "a*b" })).toEqual({ ok: true, value: "(cn=*a\\2ab*)" });
    expect(renderFilter("(cn={0}-{0})", { "0": "(x)" })).toEqual({ ok: true, value: "(cn=\\28x\\29-\\28x\\29)" });
    expect(renderFilter("(cn=\\7b0\\7d)", { "0": "x" })).toEqual({ ok: true, value: "(cn=\\7b0\\7d)" });
  });

  it("names unknown placeholders and rejects invalid templates", () => {
    expect(renderFilter("(uid={xyz})", { "0": "a" })).toEqual({
      ok: false,
      error: { message: "Unknown placeholder {xyz} at position 5; allowed here: {0}", position: 5 },
    });
    expect(renderFilter("(uid={dn})", { "0": "a", username: "a" }).ok).toBe(false);
    expect(renderFilter("(&(uid={0})", { "0": "a" })).toMatchObject({ ok: false, error: { position: 11 } });
    expect(validateFilterTemplate("(member={dn})").ok).toBe(true);
    expect(validateFilterTemplate("(member={dn})", ["0"]).ok).toBe(false);
  });
});

describe("template helpers", () => {
  it.each([
    [AD_USER, ["0"]],
    [POSIX_GROUP, ["username"]],
    ["(|(uid={0})(mail={login})(uid={0}))", ["0", "login"]],
    ["(cn=\\7b0})", []],
  ])("filterPlaceholders(%j)", (template, names) => {
    expect(filterPlaceholders(template)).toEqual(names);
  });

  it.each([
    [AD_USER, true],
    [AD_GROUP, true],
    [LDAP_GROUP, false],
    ["(&(member:1.2.840.113556.1.4.1941:={0})", false],
  ])("usesInChainRule(%j) = %s", (template, expected) => {
    expect(usesInChainRule(template)).toBe(expected);
  });

  it.each([
    [AD_GROUP, "member"],
    [LDAP_GROUP, "member"],
    [UNIQUE_GROUP, "uniqueMember"],
    [POSIX_GROUP, "memberUid"],
    ["(&(objectClass=group)(!(member={0}))(owner={dn}))", "owner"],
    ["(objectClass=group)", undefined],
    ["(member={0}", undefined],
  ])("memberAttributeOf(%j) = %s", (template, expected) => {
    expect(memberAttributeOf(template)).toBe(expected);
  });
});

describe("filterValueBytes", () => {
  it.each([
    ["Lu\\c4\\8di\\c4\\87", [0x4c, 0x75, 0xc4, 0x8d, 0x69, 0xc4, 0x87]],
    ["Jö", [0x4a, 0xc3, 0xb6]],
    ["\\00\\2A", [0, 0x2a]],
  ])("%j", (raw, bytes) => {
    expect([...filterValueBytes(raw)]).toEqual(bytes);
  });
});

describe("inChainClassClauses: which in-chain group filters the portal resolves from memberOf", () => {
  const IN_CHAIN = "1.2.840.113556.1.4.1941";
  it.each([
    [`&(objectClass=group)(member:${IN_CHAIN}:={0})`, ["(objectClass=group)"]],
    [
      `(&(objectCategory=group)(objectClass=group)(member:${IN_CHAIN}:={dn}))`,
      ["(objectCategory=group)", "(objectClass=group)"],
    ],
    [`(member:${IN_CHAIN}:={0})`, []],
  ])("%s → class clauses %j", (template, clauses) => {
    expect(inChainClassClauses(template)?.map((node) => stringifyFilter(node))).toEqual(clauses);
  });

  it.each([
    [`&(objectClass=group)(cn=kasm*)(member:${IN_CHAIN}:={0})`, "another condition"],
    [`|(objectClass=group)(member:${IN_CHAIN}:={0})`, "an OR"],
    [`&(objectClass=group)(!(member:${IN_CHAIN}:={0}))`, "a negation"],
    [`&(objectClass=group)(memberOf:${IN_CHAIN}:={0})`, "another attribute"],
    [`&(objectClass=group)(member:${IN_CHAIN}:=CN=x,DC=y)`, "a fixed DN"],
    [`&(objectClass=group)(member={0})`, "no in-chain rule"],
    [`&(objectClass={username})(member:${IN_CHAIN}:={0})`, "a placeholder in a class clause"],
    [`&(objectClass=group)(member:${IN_CHAIN}:={0})(member:${IN_CHAIN}:={0})`, "two in-chain tests"],
  ])("%s stays on the server (%s)", (template) => {
    expect(inChainClassClauses(template)).toBeUndefined();
  });
});

describe("filterValueBuffer", () => {
  it.each(["CN=test_user_1,OU=MyOrg,DC=kasm,DC=core", "a\\2ab", "J\u00f6rg", "\\00", ""])(
    "%j: the same bytes as filterValueBytes",
    (raw) => {
      expect([...filterValueBuffer(raw)]).toEqual([...filterValueBytes(raw)]);
    },
  );
});
