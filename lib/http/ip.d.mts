/** Types for ip.mjs (plain JavaScript so that the custom server runs it without a build). */
export interface ParsedIp {
  version: 4 | 6;
  bytes: Uint8Array;
}

export interface CidrRange extends ParsedIp {
  prefix: number;
}

export function parseIp(text: unknown, options?: { keepMapped?: boolean }): ParsedIp | null;
export function formatIp(address: ParsedIp): string;
export function normalizeIp(text: unknown): string | null;
export function parseCidr(text: unknown): CidrRange | null;
export function cidrContains(range: CidrRange, address: ParsedIp): boolean;
