// Who is on the other end of a request: the socket's peer, unless that peer is a reverse proxy
// listed in TRUSTED_PROXIES, in which case the proxies' X-Forwarded-For chain is walked from the
// right. Pure functions; the custom server (scripts/server.mjs) applies them to each request.
import { cidrContains, formatIp, parseCidr, parseIp } from "./ip.mjs";

/**
 * The request header that carries the client address into the app. The server deletes any
 * copy the client sent before setting it, so route handlers can believe it.
 */
export const CLIENT_ADDRESS_HEADER = "x-portal-client-address";

/** Set on globalThis by the custom server: without it (next dev, a bare next start) the header is not believed. */
export const CLIENT_ADDRESS_MARK = Symbol.for("ldap-portal.client-address-header");

/**
 * TRUSTED_PROXIES: addresses or CIDR ranges separated by commas (blanks ignored).
 * @returns {{ ok: true, value: Array<{ version: 4 | 6, bytes: Uint8Array, prefix: number }> } | { ok: false, entry: string }}
 */
export function parseTrustedProxies(raw) {
  const value = [];
  for (const part of (raw ?? "").split(",")) {
    const entry = part.trim();
    if (entry === "") continue;
    const range = parseCidr(entry);
    if (!range) return { ok: false, entry };
    value.push(range);
  }
  return { ok: true, value };
}

/** The one-line reason `npm start` prints for a TRUSTED_PROXIES entry it cannot read. */
export function trustedProxiesError(entry) {
  return `TRUSTED_PROXIES entry "${entry}" is not an IP address or CIDR range (such as 10.0.0.5, 10.0.0.0/8 or 2001:db8::/32): fix or remove it.`;
}

function isTrusted(address, trusted) {
  return trusted.some((range) => cidrContains(range, address));
}

function parsePeer(peer) {
  // Link-local peers come with a zone ("fe80::1%eth0"): the zone says nothing about the client.
  return parseIp(typeof peer === "string" ? peer.replace(/%.*$/, "") : undefined);
}

/** Whether the socket's peer is a listed proxy (whose forwarding headers are believed). */
export function isTrustedPeer(peer, trusted) {
  const address = parsePeer(peer);
  return address !== null && isTrusted(address, trusted);
}

/**
 * One X-Forwarded-For element: an address, optionally with a port ("192.0.2.1:443",
 * "[2001:db8::1]:443") or in brackets. Anything else (names, "unknown", garbage) is null.
 */
function parseForwardedElement(text) {
  const element = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(element);
  if (bracketed) {
    const address = parseIp(bracketed[1]);
    return address?.version === 6 ? address : null;
  }
  const withPort = /^([0-9.]+):\d{1,5}$/.exec(element);
  if (withPort) {
    const address = parseIp(withPort[1]);
    return address?.version === 4 ? address : null;
  }
  return parseIp(element);
}

function headerText(value) {
  if (Array.isArray(value)) return value.join(",");
  return typeof value === "string" ? value : "";
}

/**
 * The client's address for a request that reached us from `peer` (the socket's remote address).
 *
 * - An untrusted peer is the client, whatever it says in X-Forwarded-For or X-Real-IP.
 * - A trusted peer's X-Forwarded-For is read right to left, skipping trusted proxies: the first
 *   address that is not one is the client. An element that is no address stops the walk at the
 *   last proxy that was trusted (it is the only address still vouched for). When every element
 *   is a trusted proxy the left-most one is the client.
 * - Without X-Forwarded-For, a trusted peer's X-Real-IP (one address) is the client.
 *
 * Returns the canonical address (ip.mjs formatIp), or "unknown" when the socket has none.
 */
export function clientAddressOf({ peer, forwardedFor, realIp, trusted }) {
  const peerAddress = parsePeer(peer);
  if (!peerAddress) return "unknown";
  if (!isTrusted(peerAddress, trusted)) return formatIp(peerAddress);

  const chain = headerText(forwardedFor);
  if (chain.trim() !== "") {
    let hop = peerAddress;
    for (const element of chain.split(",").reverse()) {
      const address = parseForwardedElement(element);
      if (!address) return formatIp(hop);
      if (!isTrusted(address, trusted)) return formatIp(address);
      hop = address;
    }
    return formatIp(hop);
  }

  const real = parseIp(headerText(realIp).trim());
  return formatIp(real ?? peerAddress);
}
