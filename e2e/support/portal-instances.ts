import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { httpLogin } from "./http-login";
import { serverNodeOptions } from "./test-server";

/**
 * Portals a spec starts itself (`npm start`, i.e. node scripts/start.mjs, on ports of their own),
 * for what the shared test server cannot show: several instances on one PostgreSQL. Each runs
 * the production build of this checkout with its own data directory.
 */

/** Settings of the shared test server that must not leak into a portal started here. */
const SETTINGS_OF_OTHERS = [
  "NEXTAUTH_URL",
  "TRUSTED_PROXIES",
  "AUTH_SECRET",
  "NEXTAUTH_SECRET",
  "ENCRYPTION_KEY",
  "DATABASE_URL",
  "DATA_DIR",
  "HOST",
  "PORT",
  "LOGIN_THROTTLE_USER_LIMIT",
  "LOGIN_THROTTLE_ADDRESS_LIMIT",
];

export interface PortalInstance {
  name: string;
  baseURL: string;
  /** Its DATA_DIR (removed by stop). */
  dataDir: string;
  /** Everything the portal printed so far (npm start, then the server). */
  output(): string;
  /** Resolves once the server printed its Ready line and /api/health answers 200. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `node scripts/start.mjs` with `settings` on a free port and returns at once; await
 * `ready`. Instances meant to start together are started one right after the other.
 */
export async function startPortal(name: string, settings: Record<string, string>): Promise<PortalInstance> {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `portal-${name}-`)), "data");
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const setting of SETTINGS_OF_OTHERS) delete env[setting];
  // The test runner's own Node option (the react-server condition) is not the portal's.
  env.NODE_OPTIONS = serverNodeOptions(env.NODE_OPTIONS);
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: {
      ...env,
      HOST: "127.0.0.1",
      PORT: String(port),
      NEXTAUTH_URL: baseURL,
      DATA_DIR: dataDir,
      ...settings,
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let onOutput = () => {};
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    onOutput();
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const printedReady = new Promise<void>((resolve, reject) => {
    onOutput = () => {
      if (output.includes("[portal] Ready.")) resolve();
    };
    void exited.then(() => reject(new Error(`portal ${name} stopped before it was ready:\n${output}`)));
  });
  const ready = printedReady.then(async () => {
    const health = await fetch(`${baseURL}/api/health`);
    if (health.status !== 200) throw new Error(`portal ${name}: /api/health answered ${health.status}\n${output}`);
  });
  // Awaited by the caller; a failure before that must not be an unhandled rejection.
  ready.catch(() => undefined);

  return {
    name,
    baseURL,
    dataDir,
    output: () => output,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGTERM");
      await exited;
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}

/** Random secrets of the kind README asks for (AUTH_SECRET, a 32-byte ENCRYPTION_KEY in hex). */
export function sharedSecrets(): { AUTH_SECRET: string; ENCRYPTION_KEY: string } {
  return { AUTH_SECRET: randomBytes(32).toString("base64url"), ENCRYPTION_KEY: randomBytes(32).toString("hex") };
}

/** A database of its own on the test PostgreSQL (e2e/postgres/start.sh), dropped by `drop`. */
export interface TestPostgresDatabase {
  url: string;
  /** Reads what the portals stored (assertions only: the portals make every change). */
  query<Row extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

function testPostgresUrl(): string {
  const file = path.resolve(".postgres/env.json");
  if (!fs.existsSync(file))
    throw new Error(`the test PostgreSQL is not running (no ${file}): run e2e/postgres/start.sh`);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { url: string }).url;
}

export async function createPostgresDatabase(): Promise<TestPostgresDatabase> {
  const server = testPostgresUrl();
  const name = `portal_e2e_${randomBytes(6).toString("hex")}`;
  const maintenance = new pg.Client({ connectionString: `${server}/postgres` });
  await maintenance.connect();
  await maintenance.query(`CREATE DATABASE ${name}`);
  const url = `${server}/${name}`;
  const reader = new pg.Client({ connectionString: url });
  await reader.connect();
  return {
    url,
    async query(sql, values) {
      return (await reader.query(sql, values)).rows;
    },
    async drop() {
      await reader.end();
      await maintenance.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await maintenance.end();
    },
  };
}

/** What a sign-in over HTTP (as the login form makes it) came to. */
export interface SignInOutcome {
  /** "ok", or the refusal NextAuth put in the redirect (the message the form shows). */
  outcome: string;
  status: number;
  /** The session cookie ("name=value") when one was set. */
  sessionCookie?: string;
}

export async function signIn(baseURL: string, username: string, password: string): Promise<SignInOutcome> {
  const { error, status, sessionCookie } = await httpLogin(baseURL, username, password);
  return {
    outcome: error ?? (sessionCookie ? "ok" : `no session cookie (HTTP ${status})`),
    status,
    ...(sessionCookie ? { sessionCookie } : {}),
  };
}
