/** Types for client-address.mjs (plain JavaScript so that the custom server runs it without a build). */
import type { CidrRange } from "./ip.mjs";

export const CLIENT_ADDRESS_HEADER: "x-portal-client-address";
export const CLIENT_ADDRESS_MARK: unique symbol;

export function parseTrustedProxies(
  raw: string | undefined,
): { ok: true; value: CidrRange[] } | { ok: false; entry: string };
export function trustedProxiesError(entry: string): string;

export function isTrustedPeer(peer: string | undefined, trusted: readonly CidrRange[]): boolean;

export function clientAddressOf(request: {
  peer: string | undefined;
  forwardedFor?: string | string[];
  realIp?: string | string[];
  trusted: readonly CidrRange[];
}): string;
