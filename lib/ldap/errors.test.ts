import { describe, expect, it } from "vitest";
import { adSubCode, isConnectionError, toLdapError } from "./errors";

// Classification of what ldapts and Node throw. Cases that loopback can produce are covered
// against the real servers in lib/ldap/integration; these are the ones it cannot (DNS) and the tables.
describe("toLdapError", () => {
  it("classifies a failed host lookup as dns_not_found (no lookup leaves the machine in tests)", () => {
    const error = Object.assign(new Error("getaddrinfo ENOTFOUND dc1.example.invalid"), { code: "ENOTFOUND" });
    const classified = toLdapError(error, "connect", { url: "ldap://dc1.example.invalid" });
    expect(classified.code).toBe("dns_not_found");
    expect(classified.detail).toContain("dc1.example.invalid");
    expect(isConnectionError(classified)).toBe(true);
  });

  it("reads the AD sub-code from a bind diagnostic", () => {
    expect(adSubCode("80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 775, v1db1")).toBe(
      "account_locked",
    );
    expect(adSubCode("80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839")).toBe(
      "invalid_credentials",
    );
    expect(adSubCode("no sub-code here")).toBeUndefined();
  });

  it("reports an administrative limit (result 11) as a size limit, with the server's text", () => {
    const classified = toLdapError(
      Object.assign(new Error("pagedResults control not allowed Code: 0xb"), { code: 11 }),
      "groups",
    );
    expect(classified.code).toBe("size_limit_exceeded");
    expect(classified.serverDiagnostic).toBe("pagedResults control not allowed");
  });

  it("keeps the server's text for an unknown result code", () => {
    const classified = toLdapError(Object.assign(new Error("Something odd Code: 0x50"), { code: 80 }), "user_search");
    expect(classified.code).toBe("unknown");
    expect(classified.serverDiagnostic).toBe("Something odd");
    expect(classified.detail).toContain("80");
  });
});
