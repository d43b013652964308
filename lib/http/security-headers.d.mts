/** Types for security-headers.mjs (plain JavaScript so that the custom server runs it without a build). */
export function contentSecurityPolicy(nonce: string): string;
export function createNonce(randomBytes: (size: number) => { toString(encoding: "base64"): string }): string;
export function securityHeaders(options: {
  nonce: string;
  publicUrl: string | undefined;
}): Array<[name: string, value: string]>;
