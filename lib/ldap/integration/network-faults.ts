/**
 * Loopback servers that produce network faults (silence, closed ports, dropped or lost answers,
 * TLS without LDAP), an expired certificate, and counters of open sockets, for the integration
 * tests. Real sockets only: nothing mocks LDAP.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";

// ------------------------------------------------------------------ loopback fault servers

export interface TestServer {
  port: number;
  url: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Accepted connections still open. */
  readonly active: number;
  /** Destroys every open connection (the server "drops" them) and keeps listening. */
  dropAll(): void;
  close(): Promise<void>;
}

/** Listens on an ephemeral loopback port; `extra` holds sockets of our own to destroy on close. */
async function listen(
  server: net.Server,
  scheme: "ldap" | "ldaps",
  extra = new Set<net.Socket>(),
): Promise<TestServer> {
  const accepted = new Set<net.Socket>();
  let connections = 0;
  // "connection" fires for TLS servers too (with the raw socket), before the handshake.
  server.on("connection", (socket: net.Socket) => {
    connections += 1;
    accepted.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => accepted.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get active() {
      return accepted.size;
    },
    dropAll: () => {
      for (const socket of [...accepted, ...extra]) socket.destroy();
    },
    close: async () => {
      for (const socket of [...accepted, ...extra]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Accepts TCP connections, reads and discards what arrives, and never says a word: the "timed out"
 * of the documentation. (Reading matters: a paused socket would never notice the client closing.)
 */
export function silentListener(): Promise<TestServer> {
  return listen(
    net.createServer((socket) => socket.resume()),
    "ldap",
  );
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP proxy in front of a real server that counts the connections it relays. */
export function countingProxy(target: { host: string; port: number }): Promise<TestServer> {
  const upstreams = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    upstreams.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("close", () => {
      upstreams.delete(upstream);
      client.destroy();
    });
    client.on("close", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  return listen(server, "ldap", upstreams);
}

export interface InterruptingProxy extends TestServer {
  /**
   * The next answer the server sends on the n-th relayed connection (1-based) never arrives: it
   * is swallowed and that connection dropped, as when a network breaks after the server acted.
   */
  loseNextAnswer(connection: number): void;
}

/** A TCP proxy in front of a real server (like countingProxy) that can lose an answer. */
export async function interruptingProxy(target: { host: string; port: number }): Promise<InterruptingProxy> {
  const upstreams = new Set<net.Socket>();
  const armed = new Set<number>();
  let relayed = 0;
  const server = net.createServer((client) => {
    const index = ++relayed;
    const upstream = net.connect(target.port, target.host);
    upstreams.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("data", (chunk: Buffer) => {
      if (!armed.delete(index)) return void client.write(chunk);
      client.destroy();
      upstream.destroy();
    });
    upstream.on("close", () => {
      upstreams.delete(upstream);
      client.destroy();
    });
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
  });
  const listening = await listen(server, "ldap", upstreams);
  return Object.assign(listening, { loseNextAnswer: (connection: number) => void armed.add(connection) });
}

/** A TLS server (no LDAP behind it) presenting the given certificate. */
export function tlsServer(cert: string, key: string): Promise<TestServer> {
  const server = tls.createServer({ cert, key }, (socket) => socket.end());
  server.on("tlsClientError", () => {});
  return listen(server, "ldaps");
}

// ------------------------------------------------------------------ certificates

export interface ExpiredCertificate {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * A private CA and a server certificate for 127.0.0.1 that expired in 2021 (valid 2020-01-01 to
 * 2021-01-01), signed with `openssl ca -startdate/-enddate`: no clock tricks, no sleeping.
 */
export function makeExpiredCertificate(): ExpiredCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ldap-expired-cert-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  try {
    fs.writeFileSync(path.join(dir, "index.txt"), "");
    fs.writeFileSync(path.join(dir, "serial"), "1000\n");
    fs.writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\n");
    fs.writeFileSync(
      path.join(dir, "ca.cnf"),
      [
        "[ca]",
        "default_ca = test_ca",
        "[test_ca]",
        `dir = ${dir}`,
        "database = $dir/index.txt",
        "serial = $dir/serial",
        "new_certs_dir = $dir",
        "certificate = $dir/ca.pem",
        "private_key = $dir/ca.key",
        "default_md = sha256",
        "policy = any",
        "unique_subject = no",
        "copy_extensions = none",
        "[any]",
        "commonName = supplied",
        "",
      ].join("\n"),
    );
    run(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "3650",
      "-subj",
      "/CN=Expired Test CA",
    );
    run(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      "-subj",
      "/CN=127.0.0.1",
    );
    run(
      "ca",
      "-batch",
      "-config",
      "ca.cnf",
      "-in",
      "server.csr",
      "-out",
      "server.pem",
      "-notext",
      "-startdate",
      "20200101000000Z",
      "-enddate",
      "20210101000000Z",
      "-extfile",
      "ext.cnf",
    );
    const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
    return { caPem: read("ca.pem"), certPem: read("server.pem"), keyPem: read("server.key") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ sockets

/** Open TCP sockets of this process (plain and TLS), from Node's own resource list. */
export function openSockets(): { tcp: number; tls: number; connecting: number } {
  const resources = process.getActiveResourcesInfo();
  const count = (kind: string) => resources.filter((name) => name === kind).length;
  // A TLS socket shows up as its TCPSocketWrap (Node 20); TLSWrap is counted in case it appears.
  return { tcp: count("TCPSocketWrap"), tls: count("TLSWrap"), connecting: count("ConnectWrap") };
}

/** Lets pending close/destroy callbacks run (sockets leave the resource list on the next ticks). */
export async function settle(ms = 50): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await new Promise((resolve) => setImmediate(resolve));
}

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}
