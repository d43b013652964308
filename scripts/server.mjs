#!/usr/bin/env node
// The portal's HTTP server, started by scripts/start.mjs once the database and the build are
// ready. Next.js serves every request; before it does, this server
//  - works out the client address from the socket (and TRUSTED_PROXIES) and hands it to the app
//    in the x-portal-client-address header, replacing whatever the client sent under that name;
//  - gives the request an id (x-request-id, kept from a trusted proxy, made here otherwise) that
//    its log lines carry and the response returns;
//  - sets the security headers, with a fresh CSP nonce that Next.js puts on its scripts;
//  - refuses sign-in bodies over 64 KB before anything parses them.
// `next start` cannot do the first: it fills X-Forwarded-For from the socket only when the
// client sent none.
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  AUTH_BODY_LIMIT,
  PAYLOAD_TOO_LARGE_MESSAGE,
  declaredLengthRefused,
  isLimitedRequest,
} from "../lib/http/body-limit.mjs";
import {
  CLIENT_ADDRESS_HEADER,
  CLIENT_ADDRESS_MARK,
  clientAddressOf,
  isTrustedPeer,
  parseTrustedProxies,
  trustedProxiesError,
} from "../lib/http/client-address.mjs";
import { contentSecurityPolicy, createNonce, securityHeaders } from "../lib/http/security-headers.mjs";
import { componentLogger, errorFields, logSettings } from "../lib/observability/logger.mjs";
import { assignRequestId } from "../lib/observability/request-id.mjs";
import { runShutdownHooks } from "../lib/observability/shutdown.mjs";

// Everything this process creates (database journals, secrets.json) is for its owner only.
process.umask(0o077);
process.env.NODE_ENV ??= "production";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const log = componentLogger("server");

function fail(message) {
  log.error(`[portal] ${message}`);
  process.exit(1);
}

const logging = logSettings();
if (!logging.ok) fail(logging.message);

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || "3000");
const publicUrl = process.env.NEXTAUTH_URL ?? "";
const trustedProxies = parseTrustedProxies(process.env.TRUSTED_PROXIES);
if (!trustedProxies.ok) fail(trustedProxiesError(trustedProxies.entry));
const trusted = trustedProxies.value;

/**
 * Address headers a client may only send through a trusted proxy: from anyone else they are
 * dropped, so nothing downstream can mistake them for the client's address.
 */
const ADDRESS_HEADERS = ["x-forwarded-for", "x-real-ip", "forwarded"];

function assignClientAddress(req) {
  const peer = req.socket.remoteAddress;
  const address = clientAddressOf({
    peer,
    forwardedFor: req.headers["x-forwarded-for"],
    realIp: req.headers["x-real-ip"],
    trusted,
  });
  const fromProxy = isTrustedPeer(peer, trusted);
  if (!fromProxy) for (const name of ADDRESS_HEADERS) delete req.headers[name];
  delete req.headers[CLIENT_ADDRESS_HEADER];
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  return fromProxy;
}

function assignSecurityHeaders(req, res) {
  const nonce = createNonce(randomBytes);
  for (const [name, value] of securityHeaders({ nonce, publicUrl })) res.setHeader(name, value);
  // Next.js takes the nonce for its scripts from the request's policy; a client's own is dropped.
  delete req.headers["content-security-policy-report-only"];
  req.headers["content-security-policy"] = contentSecurityPolicy(nonce);
}

/** How long a refused client may go on sending before its connection is cut. */
const LINGER_MS = 5_000;

/**
 * 413 before the body is read. A client told to wait for "100 Continue" has sent no body: its
 * connection closes. Any other client may still be sending; cutting it off now would reset the
 * connection before it reads the answer, so what it sends is discarded for up to LINGER_MS.
 */
function refuseTooLarge(req, res) {
  // Refused in "checkContinue" below without a "100 Continue": that client sends no body.
  const waitingForContinue =
    /100-continue/i.test(req.headers.expect ?? "") && declaredLengthRefused(req.headers["content-length"]);
  res.statusCode = 413;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  if (waitingForContinue) res.setHeader("Connection", "close");
  res.end(`${PAYLOAD_TOO_LARGE_MESSAGE}\n`);
  if (!waitingForContinue) {
    setTimeout(() => {
      if (!req.complete) req.socket.destroy();
    }, LINGER_MS).unref();
  }
}

/**
 * Holds the request body back until it is complete, counting bytes as they arrive (chunked
 * bodies included). It sits where Node's HTTP parser hands body bytes to the request
 * (`req.push`), so the request Next.js later reads is the original one, its body released
 * unchanged. Must be called before the first `await` of the request handler.
 * @returns {Promise<"complete" | "too_large" | "aborted">}
 */
function holdBody(req, limit) {
  return new Promise((resolve) => {
    const held = [];
    let size = 0;
    let refused = false;
    const onClose = () => resolve("aborted");
    req.once("close", onClose);
    req.push = (chunk, encoding) => {
      if (refused) return true;
      if (chunk === null) {
        delete req.push;
        req.off("close", onClose);
        for (const part of held) req.push(part);
        resolve("complete");
        return req.push(null);
      }
      size += chunk.length;
      if (size > limit) {
        refused = true;
        held.length = 0;
        req.off("close", onClose);
        resolve("too_large");
        return true;
      }
      held.push(encoding ? Buffer.from(chunk, encoding) : chunk);
      return true;
    };
  });
}

const { default: next } = await import("next");
globalThis[CLIENT_ADDRESS_MARK] = true;
const app = next({ dev: false, dir: root, hostname: host, port });
const handle = app.getRequestHandler();

async function serve(req, res) {
  const fromProxy = assignClientAddress(req);
  res.setHeader("X-Request-Id", assignRequestId(req.headers, fromProxy));
  assignSecurityHeaders(req, res);
  if (isLimitedRequest(req.method, req.url)) {
    if (declaredLengthRefused(req.headers["content-length"])) return refuseTooLarge(req, res);
    const body = await holdBody(req, AUTH_BODY_LIMIT);
    if (body === "too_large") return refuseTooLarge(req, res);
    if (body === "aborted") return void res.destroy();
  }
  await handle(req, res);
}

function onRequest(req, res) {
  serve(req, res).catch((error) => {
    log.error(
      {
        requestId: req.headers["x-request-id"],
        method: req.method,
        path: req.url?.split("?")[0],
        ...errorFields(error),
      },
      "request failed",
    );
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end();
    } else res.destroy();
  });
}

const server = http.createServer(onRequest);
// "Expect: 100-continue": a sign-in body declared too large is refused before the client sends it.
server.on("checkContinue", (req, res) => {
  if (!(isLimitedRequest(req.method, req.url) && declaredLengthRefused(req.headers["content-length"])))
    res.writeContinue();
  onRequest(req, res);
});

server.on("error", (error) => {
  if (error.code === "EADDRINUSE") fail(`${host}:${port} is already in use: stop the other server or set PORT.`);
  if (error.code === "EACCES" || error.code === "EADDRNOTAVAIL")
    fail(`Cannot listen on ${host}:${port} (${error.code}): check HOST and PORT.`);
  fail(`The server stopped: ${error.message}`);
});

try {
  await app.prepare();
} catch (error) {
  fail(`Next.js could not start: ${error instanceof Error ? error.message : String(error)}`);
}
server.listen(port, host, () => log.info({ url: `http://${host}:${port}` }, "[portal] Ready."));

/** How long the work left at shutdown (the last statistics flush) may take. */
const SHUTDOWN_HOOKS_MS = 5_000;
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    void Promise.all([closed, runShutdownHooks(SHUTDOWN_HOOKS_MS)]).finally(() => process.exit(0));
  });
}
