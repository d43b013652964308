#!/usr/bin/env node
// `npm start`: check the data directory, apply pending migrations, build once, then serve.
// Every failure is one line that names the fix.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

function checkWritable(dir, what) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (error) {
    fail(`${what} ${dir} is not writable (${error.code ?? error.message}): fix its permissions or set DATA_DIR to a writable directory.`);
  }
}

checkWritable(dataDir, "The data directory");
if (!databaseUrl.startsWith("file:")) {
  fail(`DATABASE_URL must be a SQLite file URL such as file:./data/portal.db (got "${databaseUrl.split(":")[0]}:…").`);
}
checkWritable(path.dirname(path.resolve(databaseUrl.slice("file:".length))), "The database directory");

const childEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl };

const migrate = spawnSync(process.execPath, ["prisma/engine/migrate.mjs"], { env: childEnv, encoding: "utf8" });
if (migrate.status !== 0) {
  const reason = (migrate.stderr || migrate.stdout || "").trim().split("\n").filter(Boolean).pop();
  fail(`Applying database migrations to ${databaseUrl} failed: ${reason ?? "unknown error"}. Check DATABASE_URL.`);
}
if (migrate.stdout.trim()) console.log(migrate.stdout.trim());

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("[portal] No production build yet: building (about a minute)…");
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env: childEnv, stdio: "inherit" });
  if (build.status !== 0) fail("The build failed; see the output above.");
}

const nextAuthUrl = process.env.NEXTAUTH_URL || `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
console.log(`[portal] Serving on ${nextAuthUrl}`);
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", host, "-p", port], {
  env: { ...childEnv, NEXTAUTH_URL: nextAuthUrl },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
