import { describe, expect, it } from "vitest";
import { sameSitePath } from "./same-site-path";

const ORIGIN = "http://127.0.0.1:3000";

describe("sameSitePath keeps same-site destinations", () => {
  it.each([
    ["/", "/"],
    ["/admin", "/admin"],
    ["/admin/users?page=2", "/admin/users?page=2"],
    ["/profile#groups", "/profile#groups"],
    ["/admin/authentication/ldap/abc-123/edit", "/admin/authentication/ldap/abc-123/edit"],
    ["/admin/../profile", "/profile"],
    ["/admin/./users", "/admin/users"],
    ["/search?q=100%25", "/search?q=100%25"],
    ["/search?q=a%2520b", "/search?q=a%2520b"],
    ["/caf%C3%A9", "/caf%C3%A9"],
    ["/café", "/caf%C3%A9"],
    ["/a b", "/a%20b"],
    ["/admin?next=https://evil.example", "/admin?next=https://evil.example"],
    ["http://127.0.0.1:3000/admin?x=1", "/admin?x=1"],
    ["HTTP://127.0.0.1:3000/admin", "/admin"],
  ])("%j → %j", (value, expected) => {
    expect(sameSitePath(value, ORIGIN)).toBe(expected);
  });
});

describe("sameSitePath sends everything else to /", () => {
  it.each([
    // other hosts, written plainly
    "https://evil.example",
    "https://evil.example/admin",
    "http://127.0.0.1:3001/admin",
    "https://127.0.0.1:3000/admin",
    "http://127.0.0.1:3000@evil.example/",
    "//evil.example",
    "//evil.example/admin",
    "///evil.example",
    "////evil.example",
    // backslashes browsers read as slashes
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:\\\\evil.example",
    // tabs, newlines and other controls browsers drop or stop at
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/admin\u0000",
    "/admin\u2028",
    // dot segments that leave two slashes
    "/.//evil.example",
    "/x/..//evil.example",
    "/%2e//evil.example",
    "/%2e%2e/%2e%2e//evil.example",
    // percent-encoded, once, twice, three times
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%2Fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "%252F%252Fevil.example",
    "/%252F/evil.example",
    "/%25252F/evil.example",
    "/%2525252F/evil.example",
    "https%3A%2F%2Fevil.example",
    "https%253A%252F%252Fevil.example",
    "/%0a/evil.example",
    // other schemes
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "/javascript:alert(1)%0A",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "mailto:a@evil.example",
    // relative paths and nonsense
    "evil.example",
    "admin",
    "./admin",
    "?x=1",
    "#top",
    "",
    "http://",
    "/".padEnd(3000, "a"),
  ])("%j", (value) => {
    expect(sameSitePath(value, ORIGIN)).toBe("/");
  });

  it("accepts only strings", () => {
    expect(sameSitePath(undefined, ORIGIN)).toBe("/");
    expect(sameSitePath(["/admin", "//evil.example"], ORIGIN)).toBe("/");
    expect(sameSitePath(null, ORIGIN)).toBe("/");
  });
});

describe("sameSitePath without an origin", () => {
  it("accepts paths and refuses absolute URLs", () => {
    expect(sameSitePath("/admin/users")).toBe("/admin/users");
    expect(sameSitePath("http://127.0.0.1:3000/admin")).toBe("/");
    expect(sameSitePath("/.//evil.example")).toBe("/");
  });
});
