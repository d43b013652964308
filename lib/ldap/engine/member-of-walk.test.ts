import { describe, expect, it } from "vitest";
import { parseFilter, type FilterNode } from "../filter";
import { memberOfIsRanged, memberOfValues, walkable } from "./member-of-walk";

const clause = (text: string): FilterNode => {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

describe("memberOf walk: when the portal may resolve the in-chain rule itself", () => {
  it("only for the group class: every group reached through member is then kept", () => {
    expect(walkable([])).toBe(true);
    expect(walkable([clause("(objectClass=group)"), clause("(objectCategory=Group)")])).toBe(true);
    expect(walkable([clause("(objectClass=msExchDynamicDistributionList)")])).toBe(false);
  });

  it("not when Active Directory sent memberOf in ranges", () => {
    expect(memberOfIsRanged({ dn: "cn=u", memberOf: ["cn=g"] })).toBe(false);
    expect(memberOfIsRanged({ dn: "cn=u", "memberOf;range=0-1499": ["cn=g"] })).toBe(true);
  });
});

describe("memberOfValues", () => {
  it("keeps the values of a first range: each is a real membership", () => {
    expect(memberOfValues({ dn: "cn=u", memberOf: ["cn=a", "cn=b"] })).toEqual(["cn=a", "cn=b"]);
    expect(memberOfValues({ dn: "cn=u", "memberOf;range=0-1": ["cn=a", "cn=b"], mail: "u@x" })).toEqual([
      "cn=a",
      "cn=b",
    ]);
    expect(memberOfValues({ dn: "cn=u" })).toEqual([]);
  });
});
