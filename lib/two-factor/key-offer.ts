import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * A key the Profile offered for a new authenticator app travels with the page until its first
 * code confirms it. The offer is sealed to the session that asked for it, so a confirmation
 * takes only a key this portal made for this session, never one the browser chose.
 */
export function sealKeyOffer(sessionId: string, secret: string): string {
  return createHmac("sha256", env().sessionSecret).update(`totp-offer:${sessionId}:${secret}`).digest("base64url");
}

export function isOfferedKey(sessionId: string, secret: string, seal: string): boolean {
  const expected = Buffer.from(sealKeyOffer(sessionId, secret));
  const given = Buffer.from(seal);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
