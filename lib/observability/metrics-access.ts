import { createHash, timingSafeEqual } from "node:crypto";
import { normalizeIp } from "@/lib/http/ip.mjs";

/**
 * Who may read /metrics. With METRICS_TOKEN set: whoever sends `Authorization: Bearer <token>`
 * (compared in constant time), from anywhere, loopback included. Without it: only a client on
 * this machine, judged by the address scripts/server.mjs worked out from the socket (and
 * TRUSTED_PROXIES), never by a header the client sets; served any other way there is no such
 * address, and nobody may.
 */
export function mayReadMetrics(request: {
  authorization: string | null;
  /** The trusted client address, or undefined when nothing vouches for one. */
  clientAddress: string | undefined;
  token: string | undefined;
}): boolean {
  if (request.token !== undefined) return bearerMatches(request.authorization, request.token);
  return request.clientAddress !== undefined && isLoopback(request.clientAddress);
}

function bearerMatches(authorization: string | null, token: string): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  // Digests have one length whatever was sent, so the comparison takes the same time.
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(match?.[1] ?? ""), digest(token)) && match !== null;
}

/** 127.0.0.0/8 and ::1 (IPv4-mapped 127.x too). */
export function isLoopback(address: string): boolean {
  const ip = normalizeIp(address);
  return ip === "::1" || (ip?.startsWith("127.") ?? false);
}
