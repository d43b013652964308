import "server-only";
import net from "node:net";
import tls, { type TLSSocket } from "node:tls";
import { Client, type ClientOptions } from "ldapts";
import type { DirectoryObserver } from "@/lib/observability/directory-observer";
import { urlsOf, type LdapConfig } from "../config";
import { destroySocket, setOperationTimeout } from "./ldapts-internals";
import type { CompiledConfiguration } from "./registry";
import { isConnectionError, ldapError, toLdapError, type LdapError, type Result } from "../errors";
import { tlsInfoOf, tlsOptionsFor, type TlsInfo } from "./tls";
import { elapsed, type Trace } from "./trace";
import { parseLdapUrl } from "../url";

/** An open connection to one URL. `close` never throws and always frees the socket. */
export interface Connection {
  client: Client;
  url: string;
  tls?: TlsInfo;
  close(): Promise<void>;
  /** Called after the first exchange: later operations get the (longer) operation timeout. */
  settle(): void;
  /**
   * Still usable? Once a socket closed, ldapts would silently open an unbound one on the next
   * operation (and after StartTLS it watches only the plain socket), so closes are tracked here.
   */
  isAlive(): boolean;
  /** Time to open the socket (and TLS over ldaps://), once the first exchange opened it. */
  connectMs(): number | undefined;
  /** Where its connect and bind times are reported (the configuration's, when it has a name). */
  observer?: DirectoryObserver;
}

interface OpenedClient {
  client: Client;
  host: string;
  /** The TLS socket once one is up (ldaps:// or after StartTLS). */
  secureSocket: () => TLSSocket | undefined;
  /** A socket of this connection was opened and has closed since. */
  socketClosed: () => boolean;
  /** How long opening the socket (and the TLS handshake over ldaps://) took, once known. */
  connectMs: () => number | undefined;
}

function openClient(compiled: CompiledConfiguration, url: string): OpenedClient {
  const { config } = compiled;
  const parsed = parseLdapUrl(url);
  if (!parsed.ok) throw new Error(`openClient called with an invalid URL: ${parsed.error.message}`);
  let secureSocket: TLSSocket | undefined;
  let socketClosed = false;
  const timing: { openedAt?: number; readyAt?: number } = {};
  const options: ClientOptions = {
    url: parsed.value.url,
    connectTimeout: config.connectTimeoutMs,
    // The first exchange on a new connection is bounded by the connect timeout: a listener that
    // accepts and never answers must cost a connect timeout, not an operation timeout.
    timeout: config.connectTimeoutMs,
    strictDN: false,
    // tlsOptions make ldapts use TLS even for ldap:// — only ldaps:// gets them here.
    ...(parsed.value.protocol === "ldaps" ? { tlsOptions: tlsOptionsFor(compiled, parsed.value.host) } : {}),
    createSecureConnection: ((...args: Parameters<typeof tls.connect>) => {
      const socket = tls.connect(...args);
      timing.openedAt ??= performance.now();
      socket.once("secureConnect", () => {
        secureSocket = socket;
        timing.readyAt ??= performance.now();
      });
      socket.once("close", () => (socketClosed = true));
      return socket;
    }) as typeof tls.connect,
    createConnection: ((...args: Parameters<typeof net.connect>) => {
      const socket = net.connect(...args);
      timing.openedAt ??= performance.now();
      // Over ldaps:// the socket is ready only after the TLS handshake (recorded above).
      if (parsed.value.protocol === "ldap") socket.once("connect", () => (timing.readyAt ??= performance.now()));
      socket.once("close", () => (socketClosed = true));
      return socket;
    }) as typeof net.connect,
  };
  return {
    client: new Client(options),
    host: parsed.value.host,
    secureSocket: () => secureSocket,
    socketClosed: () => socketClosed,
    connectMs: () =>
      timing.openedAt !== undefined && timing.readyAt !== undefined
        ? Math.round((timing.readyAt - timing.openedAt) * 10) / 10
        : undefined,
  };
}

/** Rejects with ldapts's "Connection timeout" (classified as a connect timeout) after `ms`. */
async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void onTimeout();
      reject(new Error("Connection timeout"));
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // the losing promise must not surface as unhandled
  }
}

async function closeQuietly(client: Client): Promise<void> {
  try {
    if (client.isConnected) await client.unbind();
  } catch {
    // The socket is destroyed below either way.
  }
  destroySocket(client);
}

/**
 * Opens a connection to one URL (StartTLS when configured) without binding. The trace gets a
 * "connect" step with the URL and, over TLS, the negotiated protocol and the certificate.
 */
export async function openConnection(
  compiled: CompiledConfiguration,
  url: string,
  trace?: Trace,
): Promise<Result<Connection>> {
  const { config } = compiled;
  const started = performance.now();
  let opened: OpenedClient;
  try {
    opened = openClient(compiled, url);
  } catch (error) {
    // A CA Certificate that does not parse (the admin form checks it; a CLI file may not).
    const failure = ldapError("invalid_config", "tls", { detail: `CA Certificate: ${(error as Error).message}` });
    trace?.add({ name: "connect", ok: false, ms: elapsed(started), detail: { url }, error: failure });
    return { ok: false, error: failure };
  }
  const { client, host, secureSocket, socketClosed, connectMs } = opened;
  const connection: Connection = {
    client,
    url,
    close: () => closeQuietly(client),
    settle: () => setOperationTimeout(client, config.operationTimeoutMs),
    // Not opened yet (sockets open with the first operation) counts as alive.
    isAlive: () => !socketClosed(),
    connectMs,
    observer: compiled.observer,
  };
  const tlsInfo = () => {
    const socket = secureSocket();
    return socket ? tlsInfoOf(socket) : undefined;
  };

  if (config.startTls) {
    try {
      // ldapts puts no timer around the TLS handshake itself: bound it by the connect timeout.
      await withTimeout(client.startTLS(tlsOptionsFor(compiled, host)), config.connectTimeoutMs, () =>
        closeQuietly(client),
      );
      connection.settle();
    } catch (error) {
      connection.observer?.operation("connect", performance.now() - started);
      await connection.close();
      const classified = toLdapError(error, "tls", { url, timeoutMs: config.connectTimeoutMs });
      const failure =
        classified.code === "unknown" || classified.code === "strong_auth_required"
          ? ldapError("starttls_failed", "tls", { detail: `at ${url}`, serverDiagnostic: classified.serverDiagnostic })
          : classified;
      trace?.add({ name: "connect", ok: false, ms: elapsed(started), detail: { url, startTls: true }, error: failure });
      return { ok: false, error: failure };
    }
    connection.observer?.operation("connect", performance.now() - started);
    connection.tls = tlsInfo();
    trace?.add({
      name: "connect",
      ok: true,
      ms: elapsed(started),
      detail: { url, startTls: true, tls: connection.tls },
    });
    return { ok: true, value: connection };
  }

  // Plain and ldaps:// connections open with their first operation (see bindConnection).
  Object.defineProperty(connection, "tls", { get: tlsInfo, enumerable: true });
  return { ok: true, value: connection };
}

/** Records a connection that failed with its first exchange. */
function traceConnectFailure(trace: Trace | undefined, url: string, started: number, error: LdapError): void {
  trace?.add({ name: "connect", ok: false, ms: elapsed(started), detail: { url }, error });
}

/**
 * Records a bind that reached the server: on a connection's first exchange (without StartTLS) the
 * socket opened with the bind, so the connect step is recorded first and the bind's time is the rest.
 */
function traceBind(
  trace: Trace | undefined,
  bind: {
    connection: Connection;
    config: LdapConfig;
    step: "service_bind" | "user_bind";
    dn: string;
    started: number;
    firstExchange: boolean;
  },
  error?: LdapError,
): void {
  const { connection, config, step, dn, started, firstExchange } = bind;
  const connectMs = firstExchange && !config.startTls ? (connection.connectMs() ?? 0) : 0;
  if (firstExchange && !config.startTls) {
    trace?.add({
      name: "connect",
      ok: true,
      ms: connectMs,
      detail: { url: connection.url, ...(connection.tls ? { tls: connection.tls } : {}) },
    });
  }
  trace?.add({
    name: step,
    ok: !error,
    ms: Math.max(0, Math.round((elapsed(started) - connectMs) * 10) / 10),
    detail: { dn, url: connection.url },
    ...(error ? { error } : {}),
  });
}

/**
 * Reports a bind's time. On a connection's first exchange (without StartTLS) the socket opened
 * with the bind: that part is the connect, the rest the bind; one that never reached the server
 * was all connect.
 */
function observeBind(
  connection: Connection,
  config: LdapConfig,
  started: number,
  exchange: { first: boolean; reachedServer: boolean },
): void {
  const { observer } = connection;
  if (!observer) return;
  const total = performance.now() - started;
  if (!exchange.first || config.startTls) return observer.operation("bind", total);
  if (!exchange.reachedServer) return observer.operation("connect", total);
  const connectMs = connection.connectMs() ?? 0;
  observer.operation("connect", connectMs);
  observer.operation("bind", Math.max(0, total - connectMs));
}

/**
 * Binds on a connection. Connection-level failures (the socket opens lazily with the first
 * operation) are reported as the connect step, the rest as `step`.
 */
export async function bindConnection(
  connection: Connection,
  dn: string,
  password: string,
  step: "service_bind" | "user_bind",
  config: LdapConfig,
  trace?: Trace,
): Promise<Result<void>> {
  const started = performance.now();
  const firstExchange = !connection.client.isConnected;
  try {
    await connection.client.bind(dn, password);
    connection.settle();
    observeBind(connection, config, started, { first: firstExchange, reachedServer: true });
    traceBind(trace, { connection, config, step, dn, started, firstExchange });
    return { ok: true, value: undefined };
  } catch (error) {
    const timeoutMs = firstExchange ? config.connectTimeoutMs : config.operationTimeoutMs;
    let classified = toLdapError(error, step, { url: connection.url, timeoutMs, firstExchange });
    // A server that resets the connection instead of answering a TLS hello (Samba's LDAP
    // port under ldaps://) is the documentation's "socket ssl wrapping error". (A pooled
    // connection reset later has no certificate left to show either: not a handshake.)
    if (
      classified.code === "connection_reset" &&
      firstExchange &&
      connection.url.startsWith("ldaps://") &&
      !connection.tls
    ) {
      classified = ldapError("tls_handshake_failed", step, {
        detail: `at ${connection.url}`,
        serverDiagnostic: classified.serverDiagnostic,
      });
    }
    observeBind(connection, config, started, { first: firstExchange, reachedServer: !isConnectionError(classified) });
    if (isConnectionError(classified)) {
      classified = { ...classified, step: "connect" };
      traceConnectFailure(trace, connection.url, started, classified);
      return { ok: false, error: classified };
    }
    if (step === "service_bind" && !["strong_auth_required", "empty_password"].includes(classified.code)) {
      classified = ldapError("service_bind_failed", step, {
        detail: `as ${dn}`,
        serverDiagnostic: classified.serverDiagnostic,
      });
    }
    traceBind(trace, { connection, config, step, dn, started, firstExchange }, classified);
    return { ok: false, error: classified };
  }
}

/**
 * Opens the socket of a new connection with a harmless exchange (a RootDSE read, allowed
 * anonymously everywhere) so it is really connected before a pool shares it or failover
 * records its URL as healthy: ldapts otherwise opens sockets lazily, one per concurrent
 * first operation.
 */
export function openNow(config: LdapConfig, trace?: Trace): (connection: Connection) => Promise<Result<void>> {
  return async (connection) => {
    if (connection.client.isConnected) return { ok: true, value: undefined };
    const started = performance.now();
    try {
      await connection.client.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["1.1"] });
      connection.settle();
      connection.observer?.operation("connect", performance.now() - started);
      trace?.add({
        name: "connect",
        ok: true,
        ms: elapsed(started),
        detail: { url: connection.url, ...(connection.tls ? { tls: connection.tls } : {}) },
      });
      return { ok: true, value: undefined };
    } catch (error) {
      connection.observer?.operation("connect", performance.now() - started);
      let classified = toLdapError(error, "connect", {
        url: connection.url,
        timeoutMs: config.connectTimeoutMs,
        firstExchange: true,
      });
      if (classified.code === "connection_reset" && connection.url.startsWith("ldaps://") && !connection.tls) {
        classified = ldapError("tls_handshake_failed", "connect", {
          detail: `at ${connection.url}`,
          serverDiagnostic: classified.serverDiagnostic,
        });
      }
      traceConnectFailure(trace, connection.url, started, classified);
      return { ok: false, error: classified };
    }
  };
}

/** Binds the service account on a new connection; anonymous (but opened) when no DN is configured. */
export function serviceBind(
  config: LdapConfig,
  trace: Trace | undefined,
): (connection: Connection) => Promise<Result<void>> {
  return async (connection) => {
    if (!config.serviceAccountDn.trim()) return openNow(config, trace)(connection);
    if (!config.serviceAccountPassword.trim()) {
      return {
        ok: false,
        error: ldapError("empty_password", "service_bind", {
          detail: "The Service Account Password is empty: that would be an anonymous bind",
        }),
      };
    }
    return bindConnection(
      connection,
      config.serviceAccountDn,
      config.serviceAccountPassword,
      "service_bind",
      config,
      trace,
    );
  };
}

/** After this long, failover tries the first URL again instead of the one that answered last. */
const RETRY_PRIMARY_AFTER_MS = 60_000;

function orderedUrls(compiled: CompiledConfiguration): string[] {
  const urls = urlsOf(compiled.config);
  const healthy = compiled.healthyUrl;
  if (!healthy || Date.now() - healthy.at > RETRY_PRIMARY_AFTER_MS || !urls.includes(healthy.url)) return urls;
  return [healthy.url, ...urls.filter((url) => url !== healthy.url)];
}

/**
 * Opens a connection in failover order and runs `prepare` on it (a bind, usually). Only
 * connection-level failures move on to the next URL; an authentication failure ends the walk.
 * On success the caller owns the connection; on failure it is closed.
 */
export async function connectWithFailover(
  compiled: CompiledConfiguration,
  trace: Trace | undefined,
  prepare: (connection: Connection) => Promise<Result<void>>,
): Promise<Result<Connection>> {
  let lastError: LdapError | undefined;
  for (const url of orderedUrls(compiled)) {
    const opened = await openConnection(compiled, url, trace);
    if (!opened.ok) {
      lastError = opened.error;
      if (isConnectionError(opened.error)) continue;
      return opened;
    }
    const prepared = await prepare(opened.value);
    if (prepared.ok) {
      compiled.healthyUrl = { url, at: Date.now() };
      compiled.observer?.answered(url, url !== compiled.config.url);
      return opened;
    }
    await opened.value.close();
    if (!isConnectionError(prepared.error)) return prepared;
    lastError = prepared.error;
  }
  return { ok: false, error: lastError ?? ldapError("invalid_config", "connect", { detail: "No URL configured" }) };
}
