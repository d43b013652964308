import { describe, expect, it } from "vitest";
import { cidrContains, normalizeIp, parseCidr, parseIp } from "./ip.mjs";

describe("normalizeIp", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["::1", "::1"],
    ["::", "::"],
    ["2001:DB8::1", "2001:db8::1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["1:0:0:0:0:0:0:0", "1::"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["::FFFF:c000:0201", "192.0.2.1"],
    ["0:0:0:0:0:ffff:192.0.2.1", "192.0.2.1"],
    ["::192.0.2.1", "::c000:201"],
    ["64:ff9b::192.0.2.1", "64:ff9b::c000:201"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });

  it.each([
    "",
    " 192.0.2.1",
    "192.0.2",
    "192.0.2.1.5",
    "192.0.2.256",
    "192.0.2.01",
    "0x7f.0.0.1",
    "127.1",
    "2130706433",
    "192.0.2.1/32",
    "1::2::3",
    ":1::2",
    "1::2:",
    ":::",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7::8",
    "12345::1",
    "g::1",
    "1.2.3.4::",
    "::1.2.3.4:1",
    "::ffff:1.2.3",
    "fe80::1%eth0",
    "[::1]",
    "localhost",
    "unknown",
  ])("refuses %j", (input) => {
    expect(normalizeIp(input)).toBeNull();
  });

  it("refuses what is not a string", () => {
    expect(normalizeIp(undefined)).toBeNull();
    expect(normalizeIp(3232235777)).toBeNull();
  });
});

describe("parseCidr and cidrContains", () => {
  const contains = (range: string, address: string) => {
    const parsedRange = parseCidr(range);
    const parsedAddress = parseIp(address);
    if (!parsedRange || !parsedAddress) throw new Error(`bad test input ${range} ${address}`);
    return cidrContains(parsedRange, parsedAddress);
  };

  it.each([
    ["10.0.0.0/8", "10.255.255.255", true],
    ["10.0.0.0/8", "11.0.0.0", false],
    ["10.0.0.0/8", "9.255.255.255", false],
    ["192.168.1.0/25", "192.168.1.127", true],
    ["192.168.1.0/25", "192.168.1.128", false],
    ["192.168.1.5", "192.168.1.5", true],
    ["192.168.1.5", "192.168.1.6", false],
    ["192.168.1.5/32", "192.168.1.5", true],
    ["10.1.2.3/8", "10.9.9.9", true],
    ["0.0.0.0/0", "203.0.113.9", true],
    ["0.0.0.0/0", "2001:db8::1", false],
    ["::/0", "192.0.2.1", false],
    ["2001:db8::/32", "2001:db8:ffff::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["2001:db8::/127", "2001:db8::1", true],
    ["2001:db8::/127", "2001:db8::2", false],
    ["::1", "::1", true],
    ["::1/128", "::2", false],
    ["::ffff:10.0.0.0/104", "10.20.30.40", true],
    ["::ffff:10.0.0.0/104", "11.0.0.1", false],
    ["::ffff:192.0.2.1", "192.0.2.1", true],
    ["127.0.0.1", "::ffff:127.0.0.1", true],
  ])("%s contains %s: %s", (range, address, expected) => {
    expect(contains(range, address)).toBe(expected);
  });

  it.each([
    "10.0.0.0/33",
    "2001:db8::/129",
    "10.0.0.0/",
    "/8",
    "10.0.0.0/08",
    "10.0.0.0/-1",
    "10.0.0.0/8/8",
    "10.0.0/8",
    "10.0.0.0 /8",
    "example.com/24",
    "",
  ])("refuses %j", (input) => {
    expect(parseCidr(input)).toBeNull();
  });
});
