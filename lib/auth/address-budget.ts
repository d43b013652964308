import { isIPv6 } from "node:net";

/**
 * The network one brake budget covers: an IPv4 address, or the /64 an IPv6 address is in. One
 * subscriber (a VPS, a home line) gets a whole /64, so per-address budgets would give them 2^64.
 */
export function addressBudget(address: string): string {
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") ? (tail ? tail.split(":") : []) : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4 style) is two groups; only the first four matter here.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
