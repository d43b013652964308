import { describe, expect, it } from "vitest";
import { parseFilter, stringifyFilter } from "./filter";
import { directoryIdFilter, matchingAnyLogin, objectGuidFilterValue } from "./sync-filter";

const widened = (text: string) => {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const tree = matchingAnyLogin(parsed.value);
  return tree && stringifyFilter(tree);
};

describe("matchingAnyLogin", () => {
  it("widens the login placeholders of the documented filters to any value", () => {
    expect(
      widened(
        "(&(objectClass=user)(sAMAccountName={0})(memberof:1.2.840.113556.1.4.1941:=CN=all_kasm_app_users,OU=MyOrg,DC=kasm,DC=core))",
      ),
    ).toBe(
      "(&(objectClass=user)(sAMAccountName=*)(memberof:1.2.840.113556.1.4.1941:=CN=all_kasm_app_users,OU=MyOrg,DC=kasm,DC=core))",
    );
    expect(widened("(&(objectClass=inetOrgPerson)(uid={username}))")).toBe("(&(objectClass=inetOrgPerson)(uid=*))");
  });

  it("keeps the text around a placeholder", () => {
    expect(widened("(|(uid={0})(mail={0}@kasm.core))")).toBe("(|(uid=*)(mail=*@kasm.core))");
    expect(widened("(cn=pre{0}mid{login}post)")).toBe("(cn=pre*mid*post)");
  });

  it("cannot widen a placeholder in an ordering or extensible match", () => {
    expect(widened("(&(uid={0})(uidNumber>={0}))")).toBeUndefined();
    expect(widened("(member:1.2.840.113556.1.4.1941:={0})")).toBeUndefined();
  });
});

describe("directoryIdFilter", () => {
  it("asks for a GUID as objectGUID bytes (first three parts little-endian) or as entryUUID", () => {
    const guid = "01234567-89ab-cdef-0123-456789abcdef";
    expect(objectGuidFilterValue(guid)).toBe("\\67\\45\\23\\01\\ab\\89\\ef\\cd\\01\\23\\45\\67\\89\\ab\\cd\\ef");
    expect(stringifyFilter(directoryIdFilter([guid]))).toBe(
      `(|(objectGUID=${objectGuidFilterValue(guid)})(entryUUID=${guid}))`,
    );
  });

  it("asks for any other id as a 389 DS nsUniqueId, escaped", () => {
    expect(stringifyFilter(directoryIdFilter(["1a2b3c4d-5e6f7a8b-9c0d1e2f-3a4b5c6d", "x*)"]))).toBe(
      "(|(nsUniqueId=1a2b3c4d-5e6f7a8b-9c0d1e2f-3a4b5c6d)(nsUniqueId=x\\2a\\29))",
    );
  });
});
