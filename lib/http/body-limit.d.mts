/** Types for body-limit.mjs (plain JavaScript so that the custom server runs it without a build). */
export const AUTH_BODY_LIMIT: number;
export const PAYLOAD_TOO_LARGE_MESSAGE: string;
export function isLimitedRequest(method: string | undefined, url: string | undefined): boolean;
export function declaredLengthRefused(contentLength: string | undefined, limit?: number): boolean;
