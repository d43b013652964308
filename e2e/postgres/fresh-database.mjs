#!/usr/bin/env node
// Prints the URL of a fresh database NAME on the test PostgreSQL (e2e/postgres/start.sh),
// dropping any earlier one of that name: the browser suite's PostgreSQL pass (scripts/test.sh).
//   node e2e/postgres/fresh-database.mjs portal_e2e_browser
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

const name = process.argv[2] ?? "";
if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
  console.error("usage: node e2e/postgres/fresh-database.mjs NAME (lower-case letters, digits, _)");
  process.exit(2);
}
const envFile = path.resolve(import.meta.dirname, "../../.postgres/env.json");
if (!fs.existsSync(envFile)) {
  console.error("The test PostgreSQL is not running: start it with bash e2e/postgres/start.sh");
  process.exit(1);
}
const { url } = JSON.parse(fs.readFileSync(envFile, "utf8"));
const client = new pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 10_000 });
await client.connect();
try {
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
} finally {
  await client.end();
}
console.log(`${url}/${name}`);
