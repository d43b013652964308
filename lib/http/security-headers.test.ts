import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, securityHeaders } from "./security-headers.mjs";

const headerMap = (publicUrl: string | undefined) => new Map(securityHeaders({ nonce: "abc123==", publicUrl }));

describe("securityHeaders", () => {
  it("forbids framing, sniffing, cross-site referrers and powerful features", () => {
    const headers = headerMap("http://127.0.0.1:3000");
    expect(headers.get("X-Frame-Options")).toBe("DENY");
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(headers.get("Referrer-Policy")).toBe("same-origin");
    const permissions = headers.get("Permissions-Policy") ?? "";
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"])
      expect(permissions).toContain(`${feature}=()`);
    expect(permissions.split(", ").every((entry) => entry.endsWith("=()"))).toBe(true);
  });

  it("sends Strict-Transport-Security only for an https public URL", () => {
    expect(headerMap("https://portal.example.com").get("Strict-Transport-Security")).toBe("max-age=31536000");
    expect(headerMap("http://portal.example.com").has("Strict-Transport-Security")).toBe(false);
    expect(headerMap(undefined).has("Strict-Transport-Security")).toBe(false);
    expect(headerMap("not a url").has("Strict-Transport-Security")).toBe(false);
  });

  it("carries the nonce in the Content-Security-Policy", () => {
    expect(headerMap(undefined).get("Content-Security-Policy")).toBe(contentSecurityPolicy("abc123=="));
  });
});

describe("contentSecurityPolicy", () => {
  const directives = new Map(
    contentSecurityPolicy("abc123==")
      .split("; ")
      .map((directive) => {
        const [name, ...sources] = directive.split(" ");
        return [name, sources.join(" ")] as const;
      }),
  );

  it("allows scripts only from this origin or with the nonce", () => {
    expect(directives.get("script-src")).toBe("'self' 'nonce-abc123=='");
    expect(contentSecurityPolicy("abc123==")).not.toContain("unsafe-eval");
    expect(directives.get("script-src")).not.toContain("unsafe-inline");
  });

  it("locks down objects, base, forms and framing", () => {
    expect(directives.get("object-src")).toBe("'none'");
    expect(directives.get("base-uri")).toBe("'self'");
    expect(directives.get("form-action")).toBe("'self'");
    expect(directives.get("frame-ancestors")).toBe("'none'");
    expect(directives.get("default-src")).toBe("'self'");
  });
});

describe("createNonce", () => {
  it("is 16 random bytes in the base64 alphabet Next.js accepts, new each time", () => {
    const first = createNonce(randomBytes);
    expect(first).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce(randomBytes)).not.toBe(first);
  });
});
