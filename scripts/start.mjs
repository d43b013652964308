#!/usr/bin/env node
// `npm start`: check the settings and the data directory, apply pending migrations, build once,
// then serve through scripts/server.mjs. Every failure is one line that names the fix.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseTrustedProxies, trustedProxiesError } from "../lib/http/client-address.mjs";
import { databaseProviderOf, maskDatabaseUrl } from "../lib/db/migrate/database-url.mjs";
import { DatabaseConnectionError, migrateDeploy } from "../lib/db/migrate/index.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

function fail(message) {
  console.error(`[portal] ${message}`);
  process.exit(1);
}

const dataDir = path.resolve(process.env.DATA_DIR || "./data");
const databaseUrl = process.env.DATABASE_URL || `file:${dataDir}/portal.db`;
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";

const trustedProxies = parseTrustedProxies(process.env.TRUSTED_PROXIES);
if (!trustedProxies.ok) fail(trustedProxiesError(trustedProxies.entry));

// The data directory, the database and its journals are for this account only.
const buildUmask = process.umask(0o077);

function checkWritable(dir, what) {
  try {
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.chmodSync(dir, 0o700);
    }
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (error) {
    fail(
      `${what} ${dir} is not writable (${error.code ?? error.message}): fix its permissions or set DATA_DIR to a writable directory.`,
    );
  }
}

checkWritable(dataDir, "The data directory");
// file: → the embedded SQLite database; postgresql:// or postgres:// → PostgreSQL (several instances).
const provider = databaseProviderOf(databaseUrl);
if (!provider) {
  fail(
    `DATABASE_URL must be a SQLite file URL such as file:./data/portal.db or a PostgreSQL URL such as postgresql://user:password@host:5432/portal (got "${databaseUrl.split(":")[0]}:…").`,
  );
}
const databaseFile = provider === "sqlite" ? path.resolve(databaseUrl.slice("file:".length)) : undefined;
if (databaseFile) checkWritable(path.dirname(databaseFile), "The database directory");
// Whether this is a first start: no database file yet (SQLite), no generated secrets yet (PostgreSQL).
const databaseIsNew = !fs.existsSync(databaseFile ?? path.join(dataDir, "secrets.json"));

const childEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl };

// The committed migrations (prisma/migrations, or prisma/postgresql/migrations), as `prisma migrate
// deploy` applies them (lib/db/migrate), under a lock: instances starting together migrate once.
try {
  const started = performance.now();
  const { appliedMigrationNames, createdDatabase } = await migrateDeploy({
    databaseUrl,
    onWarning: (message) => console.warn(`[portal] ${message}`),
  });
  const ms = Math.round(performance.now() - started);
  if (createdDatabase) console.log("Created the database.");
  if (appliedMigrationNames.length === 0) console.log(`No pending migrations to apply (${ms} ms).`);
  else
    console.log(
      `Applied ${appliedMigrationNames.length} migration(s) in ${ms} ms: ${appliedMigrationNames.join(", ")}`,
    );
} catch (error) {
  // PostgreSQL down, unreachable, or refusing the password: the error is one line with the fix.
  if (error instanceof DatabaseConnectionError) fail(error.message);
  const reason = String(error?.message ?? error)
    .replace(/\s*\n\s*/g, " ")
    .trim();
  fail(
    `Applying database migrations to ${maskDatabaseUrl(databaseUrl)} failed: ${reason || "unknown error"}. Check DATABASE_URL.`,
  );
}
// Also an existing database (an upgrade from a release that left it 0644): it holds password
// hashes and encrypted bind secrets. Only files this account owns are changed.
for (const file of databaseFile
  ? [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, `${databaseFile}-journal`]
  : []) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat && (stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) fs.chmodSync(file, 0o600);
}
const dataDirMode = fs.statSync(dataDir).mode & 0o777;
if (!databaseIsNew && (dataDirMode & 0o077) !== 0) {
  console.warn(
    `[portal] The data directory ${dataDir} is open to other accounts (mode ${dataDirMode.toString(8)}): run chmod 700 ${dataDir}`,
  );
}

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("[portal] No production build yet: building (about a minute)…");
  // The build is no secret: it keeps the permissions the account would give it anyway.
  process.umask(buildUmask);
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    env: childEnv,
    stdio: "inherit",
  });
  process.umask(0o077);
  if (build.status !== 0) fail("The build failed; see the output above.");
}

const nextAuthUrl = process.env.NEXTAUTH_URL || `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
console.log(`[portal] Serving on ${nextAuthUrl}`);
const server = spawn(process.execPath, ["scripts/server.mjs"], {
  env: { ...childEnv, NODE_ENV: "production", HOST: host, PORT: port, NEXTAUTH_URL: nextAuthUrl },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
