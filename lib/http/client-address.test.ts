import { describe, expect, it } from "vitest";
import { clientAddressOf, isTrustedPeer, parseTrustedProxies } from "./client-address.mjs";

function trusted(raw: string) {
  const parsed = parseTrustedProxies(raw);
  if (!parsed.ok) throw new Error(`bad TRUSTED_PROXIES in test: ${parsed.entry}`);
  return parsed.value;
}

const NONE = trusted("");
const PROXY = trusted("10.0.0.1");
const PROXIES = trusted("10.0.0.0/8, 2001:db8:1::/48");

describe("clientAddressOf without trusted proxies", () => {
  it("is the socket's peer", () => {
    expect(clientAddressOf({ peer: "203.0.113.7", trusted: NONE })).toBe("203.0.113.7");
  });

  it("ignores X-Forwarded-For and X-Real-IP however they are written", () => {
    for (const forwardedFor of ["198.51.100.1", "198.51.100.1, 198.51.100.2", ["1.1.1.1", "2.2.2.2"], "unknown"]) {
      expect(clientAddressOf({ peer: "203.0.113.7", forwardedFor, realIp: "198.51.100.9", trusted: NONE })).toBe(
        "203.0.113.7",
      );
    }
  });

  it("normalises IPv4-mapped and IPv6 peers", () => {
    expect(clientAddressOf({ peer: "::ffff:203.0.113.7", trusted: NONE })).toBe("203.0.113.7");
    expect(clientAddressOf({ peer: "2001:DB8:0:0::7", trusted: NONE })).toBe("2001:db8::7");
    expect(clientAddressOf({ peer: "fe80::1%eth0", trusted: NONE })).toBe("fe80::1");
  });

  it("is unknown without a socket address", () => {
    expect(clientAddressOf({ peer: undefined, forwardedFor: "198.51.100.1", trusted: NONE })).toBe("unknown");
  });
});

describe("clientAddressOf behind trusted proxies", () => {
  it("takes the right-most address that is not a trusted proxy", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "198.51.100.1", trusted: PROXY })).toBe("198.51.100.1");
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "198.51.100.1, 10.2.3.4", trusted: PROXIES })).toBe(
      "198.51.100.1",
    );
  });

  it("ignores what the client prepended to the chain (spoofed left-hand entries)", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "6.6.6.6, 7.7.7.7, 198.51.100.1", trusted: PROXY })).toBe(
      "198.51.100.1",
    );
    expect(
      clientAddressOf({ peer: "10.0.0.1", forwardedFor: "10.9.9.9, 198.51.100.1, 10.2.3.4", trusted: PROXIES }),
    ).toBe("198.51.100.1");
  });

  it("reads repeated X-Forwarded-For headers as one chain, in order", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: ["6.6.6.6", "198.51.100.1"], trusted: PROXY })).toBe(
      "198.51.100.1",
    );
  });

  it("stops at the last trusted hop when the next element is no address", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "198.51.100.1, unknown", trusted: PROXIES })).toBe(
      "10.0.0.1",
    );
    expect(
      clientAddressOf({ peer: "10.0.0.1", forwardedFor: "198.51.100.1, garbage, 10.2.3.4", trusted: PROXIES }),
    ).toBe("10.2.3.4");
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "198.51.100.1,,", trusted: PROXIES })).toBe("10.0.0.1");
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "192.0.2.300", trusted: PROXY })).toBe("10.0.0.1");
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "_hidden", trusted: PROXY })).toBe("10.0.0.1");
  });

  it("is the left-most element when every element is a trusted proxy", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "10.0.0.3, 10.0.0.2", trusted: PROXIES })).toBe(
      "10.0.0.3",
    );
  });

  it("accepts ports, brackets and IPv6, normalised", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "198.51.100.1:52311", trusted: PROXY })).toBe(
      "198.51.100.1",
    );
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "[2001:DB8::0:7]:443", trusted: PROXY })).toBe(
      "2001:db8::7",
    );
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "[2001:db8::7]", trusted: PROXY })).toBe("2001:db8::7");
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: " 2001:db8::7 ", trusted: PROXY })).toBe("2001:db8::7");
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "::ffff:198.51.100.1", trusted: PROXY })).toBe(
      "198.51.100.1",
    );
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "[198.51.100.1]:80", trusted: PROXY })).toBe("10.0.0.1");
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "2001:db8::7:443", trusted: PROXY })).toBe(
      "2001:db8::7:443",
    );
  });

  it("trusts an IPv6 proxy range and an IPv4 proxy seen as IPv4-mapped IPv6", () => {
    expect(clientAddressOf({ peer: "2001:db8:1:ffff::1", forwardedFor: "2001:db8:2::9", trusted: PROXIES })).toBe(
      "2001:db8:2::9",
    );
    expect(clientAddressOf({ peer: "2001:db8:2::1", forwardedFor: "198.51.100.1", trusted: PROXIES })).toBe(
      "2001:db8:2::1",
    );
    expect(clientAddressOf({ peer: "::ffff:10.0.0.1", forwardedFor: "198.51.100.1", trusted: PROXY })).toBe(
      "198.51.100.1",
    );
  });

  it("believes X-Real-IP only from a trusted peer and only as one address", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", realIp: "198.51.100.1", trusted: PROXY })).toBe("198.51.100.1");
    expect(clientAddressOf({ peer: "10.0.0.2", realIp: "198.51.100.1", trusted: PROXY })).toBe("10.0.0.2");
    expect(clientAddressOf({ peer: "10.0.0.1", realIp: "198.51.100.1, 6.6.6.6", trusted: PROXY })).toBe("10.0.0.1");
    expect(clientAddressOf({ peer: "10.0.0.1", realIp: "nonsense", trusted: PROXY })).toBe("10.0.0.1");
  });

  it("prefers X-Forwarded-For over X-Real-IP", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: "198.51.100.1", realIp: "6.6.6.6", trusted: PROXY })).toBe(
      "198.51.100.1",
    );
  });

  it("is the proxy itself when it forwards nothing", () => {
    expect(clientAddressOf({ peer: "10.0.0.1", trusted: PROXY })).toBe("10.0.0.1");
    expect(clientAddressOf({ peer: "10.0.0.1", forwardedFor: " ", trusted: PROXY })).toBe("10.0.0.1");
  });

  it("does not trust a neighbour of a listed proxy (CIDR edges)", () => {
    const edge = trusted("192.168.10.0/30");
    expect(clientAddressOf({ peer: "192.168.10.3", forwardedFor: "198.51.100.1", trusted: edge })).toBe("198.51.100.1");
    expect(clientAddressOf({ peer: "192.168.10.4", forwardedFor: "198.51.100.1", trusted: edge })).toBe("192.168.10.4");
    expect(clientAddressOf({ peer: "192.168.9.255", forwardedFor: "198.51.100.1", trusted: edge })).toBe(
      "192.168.9.255",
    );
  });
});

describe("isTrustedPeer", () => {
  it("matches the socket address, IPv4-mapped or not, against the list", () => {
    expect(isTrustedPeer("10.0.0.1", PROXY)).toBe(true);
    expect(isTrustedPeer("::ffff:10.0.0.1", PROXY)).toBe(true);
    expect(isTrustedPeer("10.0.0.2", PROXY)).toBe(false);
    expect(isTrustedPeer("2001:db8:1::5%eth0", PROXIES)).toBe(true);
    expect(isTrustedPeer(undefined, PROXIES)).toBe(false);
    expect(isTrustedPeer("10.0.0.1", NONE)).toBe(false);
  });
});

describe("parseTrustedProxies", () => {
  it("reads addresses and ranges of both families, blanks ignored", () => {
    const parsed = parseTrustedProxies(" 127.0.0.1, ::1 ,10.0.0.0/8,,2001:db8::/32, ::ffff:172.16.0.0/108 ");
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.value.map((range) => `${range.version}/${range.prefix}`)).toEqual([
      "4/32",
      "6/128",
      "4/8",
      "6/32",
      "4/12",
    ]);
  });

  it("is empty when unset", () => {
    expect(parseTrustedProxies(undefined)).toEqual({ ok: true, value: [] });
    expect(parseTrustedProxies("  ")).toEqual({ ok: true, value: [] });
  });

  it.each([
    ["10.0.0.1, proxy.internal", "proxy.internal"],
    ["10.0.0.0/33", "10.0.0.0/33"],
    ["10.0.0.1 10.0.0.2", "10.0.0.1 10.0.0.2"],
    ["*", "*"],
    ["[::1]", "[::1]"],
    ["fe80::1%eth0", "fe80::1%eth0"],
  ])("names the bad entry in %j", (raw, entry) => {
    expect(parseTrustedProxies(raw)).toEqual({ ok: false, entry });
  });
});
