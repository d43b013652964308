import { describe, expect, it } from "vitest";
import { AUTH_BODY_LIMIT, declaredLengthRefused, isLimitedRequest } from "./body-limit.mjs";

describe("isLimitedRequest", () => {
  it.each([
    ["POST", "/api/auth/callback/credentials"],
    ["POST", "/api/auth/signout?x=1"],
    ["POST", "/api/auth"],
    ["PUT", "/api/auth/session"],
    ["POST", "/api//auth/callback/credentials"],
    ["POST", "/api/%61uth/callback/credentials"],
    ["POST", "/API/Auth/callback/credentials"],
    ["POST", "/api\\auth\\callback"],
    ["POST", "/api/auth/%E0%A4%A"],
    // Dot segments, plain and encoded, resolve to the NextAuth route as the router resolves them.
    ["POST", "/x/../api/auth/callback/credentials"],
    ["POST", "/x/%2e%2e/api/auth/callback/credentials"],
    ["POST", "/api/./auth/callback/credentials"],
    ["POST", "/x/%252e%252e/api/auth/callback/credentials"],
    ["POST", "/x%2f..%2fapi/auth/callback/credentials"],
  ])("limits %s %s", (method, url) => {
    expect(isLimitedRequest(method, url)).toBe(true);
  });

  it.each([
    ["GET", "/api/auth/session"],
    ["HEAD", "/api/auth/csrf"],
    ["POST", "/api/health"],
    ["POST", "/api/authx"],
    ["POST", "/admin/authentication/ldap"],
    ["POST", "/login?next=/api/auth/x"],
    ["POST", undefined],
  ])("leaves %s %s alone", (method, url) => {
    expect(isLimitedRequest(method, url)).toBe(false);
  });
});

describe("declaredLengthRefused", () => {
  it("refuses a declared length over 64 KB or one that is no number", () => {
    expect(AUTH_BODY_LIMIT).toBe(65536);
    expect(declaredLengthRefused(undefined)).toBe(false);
    expect(declaredLengthRefused("0")).toBe(false);
    expect(declaredLengthRefused("65536")).toBe(false);
    expect(declaredLengthRefused("65537")).toBe(true);
    expect(declaredLengthRefused("99999999999999999999")).toBe(true);
    expect(declaredLengthRefused("-1")).toBe(true);
    expect(declaredLengthRefused("12, 12")).toBe(true);
  });
});
