import { describe, expect, it } from "vitest";
import { isLoopback, mayReadMetrics } from "./metrics-access";

describe("who may read /metrics", () => {
  it("with METRICS_TOKEN: the bearer of that token, from anywhere, and nobody else", () => {
    const token = "s3cret-scrape-token";
    const ask = (authorization: string | null, clientAddress = "127.0.0.1") =>
      mayReadMetrics({ authorization, clientAddress, token });
    expect(ask(`Bearer ${token}`)).toBe(true);
    expect(ask(`bearer ${token}`, "203.0.113.9")).toBe(true);
    expect(ask(null)).toBe(false);
    expect(ask("Bearer")).toBe(false);
    expect(ask(`Bearer ${token}x`)).toBe(false);
    expect(ask(`Basic ${Buffer.from(`x:${token}`).toString("base64")}`)).toBe(false);
    expect(ask(token)).toBe(false);
  });

  it("without METRICS_TOKEN: a client on this machine only, by the address the server worked out", () => {
    const ask = (clientAddress: string | undefined, authorization: string | null = null) =>
      mayReadMetrics({ authorization, clientAddress, token: undefined });
    expect(ask("127.0.0.1")).toBe(true);
    expect(ask("::1")).toBe(true);
    expect(ask("203.0.113.9")).toBe(false);
    expect(ask("10.0.0.1", "Bearer anything")).toBe(false);
    // Served without scripts/server.mjs nothing vouches for an address.
    expect(ask(undefined)).toBe(false);
  });

  it("knows loopback addresses", () => {
    for (const address of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
      expect(isLoopback(address)).toBe(true);
    for (const address of ["128.0.0.1", "::2", "unknown", "", "fe80::1"]) expect(isLoopback(address)).toBe(false);
  });
});
