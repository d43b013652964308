import "server-only";
import type { Socket } from "node:net";
import type { Client, ClientOptions } from "ldapts";

/**
 * Every use of ldapts beyond its public API, in one place; ldapts-internals.test.ts checks on a
 * real Client that these private members still exist with the shape used here (pinned to ldapts
 * ~8.2), so an upgrade that moves them fails that test instead of a sign-in.
 */

/** The private fields read or written below, as ldapts 8.2 declares them. */
interface ClientInternals {
  /** The options the client was made with; `timeout` is read again for every request. */
  clientOptions: ClientOptions;
  /** The current socket, once the first operation opened it. */
  socket?: Socket;
}

const internals = (client: Client) => client as unknown as ClientInternals;

/**
 * Sets the timeout of the client's next requests. ldapts has one `timeout` for every request; the
 * engine bounds a connection's first exchange by the connect timeout and later ones by the
 * operation timeout (Connection.settle).
 */
export function setOperationTimeout(client: Client, ms: number): void {
  internals(client).clientOptions.timeout = ms;
}

/** Destroys the client's socket, if it has one: unbind alone leaves it to the server to close. */
export function destroySocket(client: Client): void {
  internals(client).socket?.destroy();
}

/**
 * The private methods the benchmark wraps to count requests and new connections
 * (bench/counters.ts): one call of `_send` per request, of `_connect` per socket opened.
 */
export const COUNTED_METHODS = { request: "_send", connect: "_connect" } as const;
