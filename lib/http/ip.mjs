// IP addresses and CIDR ranges, parsed strictly (no octal, no short IPv4 forms, no zone ids)
// and compared as bytes. Plain JavaScript: the custom server (scripts/server.mjs) runs it
// without a build step; ip.d.mts gives TypeScript callers the types.

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** Four bytes for a dotted quad with every part 0–255 written without leading zeros, else null. */
function parseIpv4Bytes(text) {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (const [index, part] of parts.entries()) {
    if (!IPV4_OCTET.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[index] = value;
  }
  return bytes;
}

/** Sixteen bytes for an IPv6 address (with `::` and a dotted IPv4 tail), else null. */
function parseIpv6Bytes(text) {
  if (text.length > 45 || !text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (half) => (half === "" ? [] : half.split(":"));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  // A dotted IPv4 tail counts as two groups and only ends the address ("1.2.3.4::" is no address).
  const lastGroups = halves.length === 2 ? tail : head;
  const last = lastGroups.at(-1);
  let ipv4Tail = null;
  if (last !== undefined && last.includes(".")) {
    ipv4Tail = parseIpv4Bytes(last);
    if (!ipv4Tail) return null;
    lastGroups.pop();
  }
  for (const group of [...head, ...tail]) if (!HEX_GROUP.test(group)) return null;
  const explicit = head.length + tail.length + (ipv4Tail ? 2 : 0);
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return null;
  const words = head.map((group) => parseInt(group, 16));
  for (let missing = 8 - explicit; halves.length === 2 && missing > 0; missing -= 1) words.push(0);
  words.push(...tail.map((group) => parseInt(group, 16)));
  if (ipv4Tail) words.push((ipv4Tail[0] << 8) | ipv4Tail[1], (ipv4Tail[2] << 8) | ipv4Tail[3]);
  const bytes = new Uint8Array(16);
  words.forEach((word, index) => {
    bytes[index * 2] = word >> 8;
    bytes[index * 2 + 1] = word & 0xff;
  });
  return bytes;
}

function isIpv4Mapped(bytes) {
  return (
    bytes.length === 16 && bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  );
}

/**
 * An IPv4 or IPv6 address as bytes; an IPv4-mapped IPv6 address (::ffff:192.0.2.1) is its IPv4
 * address. `keepMapped` keeps the 16 bytes (for CIDR ranges written in IPv6 form).
 * @returns {{ version: 4 | 6, bytes: Uint8Array } | null}
 */
export function parseIp(text, { keepMapped = false } = {}) {
  if (typeof text !== "string") return null;
  const v4 = parseIpv4Bytes(text);
  if (v4) return { version: 4, bytes: v4 };
  const v6 = parseIpv6Bytes(text);
  if (!v6) return null;
  if (!keepMapped && isIpv4Mapped(v6)) return { version: 4, bytes: v6.slice(12) };
  return { version: 6, bytes: v6 };
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as `::`. */
export function formatIp({ version, bytes }) {
  if (version === 4) return Array.from(bytes).join(".");
  const words = [];
  for (let index = 0; index < 16; index += 2) words.push((bytes[index] << 8) | bytes[index + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && words[start + length] === 0) length += 1;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = words.map((word) => word.toString(16));
  if (bestStart === -1) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** The canonical text of an address (IPv4-mapped IPv6 as IPv4), or null when it is not one. */
export function normalizeIp(text) {
  const parsed = parseIp(text);
  return parsed ? formatIp(parsed) : null;
}

/**
 * "192.0.2.0/24", "2001:db8::/32" or a single address. Host bits after the prefix are ignored;
 * an IPv4-mapped range (::ffff:10.0.0.0/104) is the IPv4 range (10.0.0.0/8).
 * @returns {{ version: 4 | 6, bytes: Uint8Array, prefix: number } | null}
 */
export function parseCidr(text) {
  if (typeof text !== "string") return null;
  const slash = text.indexOf("/");
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  const address = parseIp(addressText, { keepMapped: true });
  if (!address) return null;
  const bits = address.bytes.length * 8;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > bits) return null;
  }
  if (address.version === 6 && isIpv4Mapped(address.bytes) && prefix >= 96) {
    return { version: 4, bytes: address.bytes.slice(12), prefix: prefix - 96 };
  }
  return { version: address.version, bytes: address.bytes, prefix };
}

/** Whether a parsed address lies in a parsed range of the same IP version. */
export function cidrContains(range, address) {
  if (range.version !== address.version) return false;
  const whole = Math.floor(range.prefix / 8);
  for (let index = 0; index < whole; index += 1) if (range.bytes[index] !== address.bytes[index]) return false;
  const rest = range.prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (range.bytes[whole] & mask) === (address.bytes[whole] & mask);
}
