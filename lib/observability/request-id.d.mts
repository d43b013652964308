/** Types for request-id.mjs (plain JavaScript so that the custom server runs it without a build). */
export const REQUEST_ID_HEADER: "x-request-id";
export function requestIdOf(
  headers: Headers | Record<string, string | string[] | undefined> | undefined,
): string | undefined;
export function assignRequestId(
  headers: Record<string, string | string[] | undefined>,
  fromTrustedProxy: boolean,
): string;
