import { describe, expect, it } from "vitest";
import { parseFilter, type FilterNode } from "./filter";
import { memberOfIsRanged, walkable } from "./member-of-walk";

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
