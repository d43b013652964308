// LDAP server URLs: `ldap://host[:port]` / `ldaps://host[:port]`, and failover lists of them.
// Pure so the admin form can validate client-side. The search base has its own field, so the
// RFC 4516 parts after the host (DN, attributes, scope, filter, extensions) are refused.

import { splitList } from "./list";

export interface UrlError {
  message: string;
  position?: number;
}
export type UrlResult<T> = { ok: true; value: T } | { ok: false; error: UrlError };

export interface LdapUrl {
  protocol: "ldap" | "ldaps";
  /** Lower-case host name, IPv4 address, or IPv6 address without brackets. */
  host: string;
  port: number;
  /** Normalised `protocol://host:port` (port always written, IPv6 in brackets). */
  url: string;
}

export const DEFAULT_PORTS = { ldap: 389, ldaps: 636 } as const;

const LABEL = "[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?"; // `_` tolerated: some internal DNS names use it
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
const fail = (message: string, position?: number): { ok: false; error: UrlError } => ({
  ok: false,
  error: position === undefined ? { message } : { message, position },
});

/** Canonical text of an IPv6 address (WHATWG URL does the checking), or undefined. */
function canonicalIpv6(address: string): string | undefined {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

export function parseLdapUrl(text: string): UrlResult<LdapUrl> {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  if (trimmed === "") return fail("Enter an LDAP URL");
  const space = trimmed.search(/\s/);
  if (space >= 0) return fail(`URL contains whitespace at position ${lead + space}`, lead + space);
  const scheme = /^(ldaps?):\/\//i.exec(trimmed);
  if (!scheme?.[1]) return fail("URL must start with ldap:// or ldaps://", lead);
  const protocol = scheme[1].toLowerCase() === "ldaps" ? "ldaps" : "ldap";

  const rest = trimmed.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
  if (authority.includes("@")) {
    return fail("Credentials don't belong in the URL; use Service Account DN and Service Account Password");
  }

  let host: string;
  let portText: string | undefined;
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close < 0) return fail("Invalid IPv6 address: missing ']'");
    const ipv6 = canonicalIpv6(authority.slice(1, close));
    if (ipv6 === undefined) return fail(`Invalid IPv6 address ${authority.slice(0, close + 1)}`);
    host = ipv6;
    const after = authority.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) return fail(`Unexpected '${after}' after the IPv6 address`);
    portText = after === "" ? undefined : after.slice(1);
  } else {
    const parts = authority.split(":");
    if (parts.length > 2) return fail("Put an IPv6 address in brackets, e.g. ldap://[2001:db8::1]");
    host = (parts[0] ?? "").toLowerCase();
    portText = parts[1];
    if (host === "") return fail("Missing host");
    if (!HOSTNAME.test(host)) return fail(`Invalid host ${host}`);
    const numeric = /^[\d.]+$/.test(host);
    if (numeric && !/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(host)) {
      return fail(`Invalid IPv4 address ${host}`);
    }
  }

  if (tail !== "" && tail !== "/") {
    return fail("LDAP URLs here take no path, filter or extensions; put the search base in Search Base");
  }

  let port: number = DEFAULT_PORTS[protocol];
  if (portText !== undefined) {
    if (portText === "") return fail("Missing port after ':'");
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) return fail(`Invalid port ${portText}`);
  }
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return { ok: true, value: { protocol, host, port, url: `${protocol}://${urlHost}:${port}` } };
}

export interface UrlEntryError {
  /** The entry as typed (trimmed). */
  entry: string;
  /** 0-based index among the non-empty entries. */
  index: number;
  message: string;
}
export type UrlListResult =
  | { ok: true; value: LdapUrl[] }
  | { ok: false; error: { message: string; position?: number; entries: UrlEntryError[] } };

/** A failover list: URLs separated by commas or newlines, tried in order. Reports every bad entry. */
export function parseUrlList(text: string): UrlListResult {
  const entries = splitList(text);
  if (entries.length === 0) return { ok: false, error: { message: "Enter at least one LDAP URL", entries: [] } };
  const urls: LdapUrl[] = [];
  const errors: UrlEntryError[] = [];
  entries.forEach((entry, index) => {
    const parsed = parseLdapUrl(entry);
    if (!parsed.ok) return void errors.push({ entry, index, message: parsed.error.message });
    const first = urls.findIndex((u) => u.url === parsed.value.url);
    if (first >= 0) return void errors.push({ entry, index, message: `Duplicate of ${urls[first]?.url}` });
    urls.push(parsed.value);
  });
  if (errors.length > 0) {
    return { ok: false, error: { message: errors.map((e) => `${e.entry}: ${e.message}`).join("; "), entries: errors } };
  }
  return { ok: true, value: urls };
}
