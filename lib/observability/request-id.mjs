// The request id: one per HTTP request, made by scripts/server.mjs (or taken from a trusted
// proxy that already made one), carried into the app in the x-request-id header and written on
// the request's log lines, so a sign-in's line can be found from the proxy's access log.
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

/** What an id may look like: a UUID, or a proxy's own ids (nginx's $request_id is 32 hex). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id as the app may read it; undefined when there is none or it is no id. */
export function requestIdOf(headers) {
  const value = headers instanceof Headers ? headers.get(REQUEST_ID_HEADER) : headers?.[REQUEST_ID_HEADER];
  return typeof value === "string" && REQUEST_ID.test(value) ? value : undefined;
}

/**
 * Sets the request's id in `headers` (a Node request's headers) and returns it: a trusted
 * proxy's own id is kept; from anyone else (or a malformed one) it is replaced by a fresh one,
 * so a client cannot put words in the log.
 */
export function assignRequestId(headers, fromTrustedProxy) {
  const sent = requestIdOf(headers);
  const id = fromTrustedProxy && sent !== undefined ? sent : randomUUID();
  headers[REQUEST_ID_HEADER] = id;
  return id;
}
