// Distinguished names (RFC 4514): escaping, parsing, and a canonical form for comparing DNs.
// Pure (no ldapts at runtime) so forms can validate group DNs client-side.

export interface DnError {
  message: string;
  position?: number;
}
export type DnResult<T> = { ok: true; value: T } | { ok: false; error: DnError };

/** One `type=value` of an RDN. `value` is decoded; a `#hex` BER value is kept verbatim (`hex: true`). */
export interface DnAttribute {
  type: string;
  value: string;
  hex: boolean;
}
/** An RDN; more than one attribute for multi-valued RDNs (`cn=a+uid=b`). */
export type Rdn = DnAttribute[];

/** RFC 4514 section 2.4, plus `=` (allowed escaped, and AD escapes it too). */
export function escapeDnValue(value: string): string {
  const chars = [...value];
  return chars
    .map((ch, i) => {
      if (ch === "\0") return "\\00";
      if (',+"\\<>;='.includes(ch)) return `\\${ch}`;
      if ((i === 0 && (ch === " " || ch === "#")) || (i === chars.length - 1 && ch === " ")) return `\\${ch}`;
      return ch;
    })
    .join("");
}

class Fail {
  constructor(
    readonly message: string,
    readonly position: number,
  ) {}
}

const TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|(?:oid\.)?(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))+)$/i;
const PAIR_CHARS = ' "#+,;<=>\\';
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses a DN into RDNs, first (leaf) RDN first. Tolerates spaces around `,`, `+` and `=` as
 * real directories emit them; an empty string is the (valid) empty DN `[]`.
 */
export function parseDn(text: string): DnResult<Rdn[]> {
  let pos = 0;
  const at = () => text[pos];
  const skipSpaces = () => {
    while (at() === " ") pos++;
  };
  const fail = (why: string, position = pos): never => {
    throw new Fail(`Malformed DN: ${why} at position ${position}`, position);
  };

  const attribute = (): DnAttribute => {
    skipSpaces();
    const start = pos;
    while (pos < text.length && /[A-Za-z0-9.-]/.test(text[pos] ?? "")) pos++;
    const type = text.slice(start, pos);
    if (!type) fail(at() === undefined || at() === "=" ? "missing attribute type" : `unexpected '${at()}'`);
    if (!TYPE.test(type)) fail(`invalid attribute type '${type}'`, start);
    skipSpaces();
    if (at() !== "=") fail(`expected '=' after '${type}'`);
    pos++;
    skipSpaces();
    if (at() === "#") {
      const hexStart = pos++;
      while (/[0-9A-Fa-f]/.test(at() ?? "")) pos++;
      const hex = text.slice(hexStart, pos);
      if (hex.length < 3 || hex.length % 2 === 0) fail("'#' must be followed by hex pairs", hexStart);
      skipSpaces();
      if (at() !== undefined && at() !== "," && at() !== "+") fail(`unexpected '${at()}' after a #hex value`);
      return { type, value: hex, hex: true };
    }
    const bytes: number[] = [];
    let significant = 0; // bytes up to the last escaped or non-space char; the rest is padding
    const valueStart = pos;
    for (let ch = at(); ch !== undefined && ch !== "," && ch !== "+"; ch = at()) {
      if (ch === "\\") {
        const pair = text.slice(pos + 1, pos + 3);
        if (/^[0-9A-Fa-f]{2}$/.test(pair)) {
          bytes.push(parseInt(pair, 16));
          pos += 3;
        } else if (PAIR_CHARS.includes(text[pos + 1] ?? "")) {
          bytes.push(text.charCodeAt(pos + 1));
          pos += 2;
        } else fail("'\\' must be followed by two hex digits or one of  \"#+,;<=>\\", pos);
        significant = bytes.length;
        continue;
      }
      if ('"<>;\0'.includes(ch)) fail(`'${ch === "\0" ? "NUL" : ch}' must be escaped`);
      const code = text.charCodeAt(pos);
      if (code < 0x80) {
        // ASCII is one byte: skip the encoder on the hot path (group DNs are compared at every login).
        bytes.push(code);
        pos += 1;
        if (ch !== " ") significant = bytes.length;
        continue;
      }
      const cp = String.fromCodePoint(text.codePointAt(pos) ?? 0);
      bytes.push(...encoder.encode(cp));
      pos += cp.length;
      if (ch !== " ") significant = bytes.length;
    }
    try {
      return { type, value: decoder.decode(Uint8Array.from(bytes.slice(0, significant))), hex: false };
    } catch {
      return fail("escaped bytes are not valid UTF-8", valueStart);
    }
  };

  try {
    const rdns: Rdn[] = [];
    if (text.trim() === "") return { ok: true, value: rdns };
    for (;;) {
      const rdn: Rdn = [attribute()];
      while (at() === "+") {
        pos++;
        rdn.push(attribute());
      }
      rdns.push(rdn);
      if (at() === undefined) return { ok: true, value: rdns };
      pos++; // the ',' that ended the value
      skipSpaces();
      if (at() === undefined) fail("empty RDN after ','");
    }
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: { message: e.message, position: e.position } };
    throw e;
  }
}

/** RFC 4514 text of parsed RDNs (`#hex` values written as-is). */
export function formatDn(rdns: readonly Rdn[]): string {
  return rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.hex ? a.value : escapeDnValue(a.value)}`).join("+")).join(",");
}

// Common OIDs written as names so `2.5.4.3=x` and `cn=x` compare equal.
const OID_NAMES: Record<string, string> = {
  "2.5.4.3": "cn",
  "2.5.4.6": "c",
  "2.5.4.7": "l",
  "2.5.4.8": "st",
  "2.5.4.9": "street",
  "2.5.4.10": "o",
  "2.5.4.11": "ou",
  "0.9.2342.19200300.100.1.1": "uid",
  "0.9.2342.19200300.100.1.25": "dc",
};
const canonicalType = (type: string) => {
  const t = type.toLowerCase().replace(/^oid\./, "");
  return OID_NAMES[t] ?? t;
};

/**
 * Canonical comparison form: lower-case types (OIDs of common types named), values decoded,
 * case-folded (cn/ou/dc/uid match case-insensitively in AD and OpenLDAP), runs of spaces
 * collapsed and trimmed, re-escaped canonically; multi-valued RDN parts sorted.
 */
export function normalizeDn(text: string): DnResult<string> {
  const rdns = normalizedRdns(text);
  return rdns.ok ? { ok: true, value: rdns.value.join(",") } : rdns;
}

function normalizedRdns(text: string): DnResult<string[]> {
  const parsed = parseDn(text);
  if (!parsed.ok) return parsed;
  const rdns = parsed.value.map((rdn) =>
    rdn
      .map((a) => {
        const value = a.hex ? a.value.toLowerCase() : escapeDnValue(a.value.toLowerCase().replace(/ +/g, " ").trim());
        return `${canonicalType(a.type)}=${value}`;
      })
      .sort()
      .join("+"),
  );
  return { ok: true, value: rdns };
}

/**
 * True when a search from `base` would return `dn`: with `subtree` the base itself and anything
 * below it, otherwise its immediate children (one level). Compared RDN by RDN, normalised.
 */
export function dnWithin(dn: string, base: string, subtree: boolean): boolean {
  const entry = normalizedRdns(dn);
  const top = normalizedRdns(base);
  if (!entry.ok || !top.ok) return false;
  const extra = entry.value.length - top.value.length;
  if (subtree ? extra < 0 : extra !== 1) return false;
  return top.value.every((rdn, i) => entry.value[extra + i] === rdn);
}

/** True when both DNs parse and name the same entry; malformed DNs are never equal. */
export function dnEquals(a: string, b: string): boolean {
  const x = normalizeDn(a);
  const y = normalizeDn(b);
  return x.ok && y.ok && x.value === y.value;
}

/** The login domain from the trailing DC components: `OU=MyOrg,DC=kasm,DC=core` -> `kasm.core`. */
export function domainFromDn(dn: string): string | undefined {
  const parsed = parseDn(dn);
  if (!parsed.ok) return undefined;
  const labels: string[] = [];
  for (const rdn of [...parsed.value].reverse()) {
    const [only, ...more] = rdn;
    if (!only || more.length > 0 || only.hex || canonicalType(only.type) !== "dc") break;
    labels.unshift(only.value.trim().toLowerCase());
  }
  return labels.length > 0 ? labels.join(".") : undefined;
}

/** The value of the first RDN, for display: `CN=Kasm_Group_1,OU=MyOrg,...` -> `Kasm_Group_1`. */
export function firstRdnValue(dn: string): string | undefined {
  const parsed = parseDn(dn);
  return parsed.ok ? parsed.value[0]?.[0]?.value : undefined;
}

/**
 * Keys of the DNs seen lately. Not per configuration: a DN's key is the same everywhere. Group DNs
 * repeat from sign-in to sign-in and parsing one costs about 10 µs, which a user in a thousand
 * groups pays several times per sign-in (about 35 ms without this). Bounded: past the limit the
 * oldest key goes.
 */
const keys = new Map<string, string>();
const MAX_KEYS = 10_000;

/** A comparison key for a DN: its normal form, or the lower-cased text when it does not parse. */
export function dnKey(dn: string): string {
  let key = keys.get(dn);
  if (key === undefined) {
    const normalized = normalizeDn(dn);
    key = normalized.ok ? normalized.value : dn.toLowerCase();
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!);
    keys.set(dn, key);
  }
  return key;
}
