// package.json "postinstall": generate the Prisma clients after `npm install`: lib/db/generated
// from prisma/schema.prisma (SQLite) and lib/db/generated-postgresql from
// prisma/postgresql/schema.prisma (PostgreSQL; same models, see scripts/postgres-schema.mjs).
//
// The Prisma CLI would try to download its native schema engine first, which fails offline;
// pointing PRISMA_SCHEMA_ENGINE_BINARY at the wasm-based replacement avoids the download
// (prisma.config.ts does the same for every other `prisma` command).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installedPrismaVersions, versionMismatchMessage } from "./versions.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const cli = path.join(root, "node_modules", "prisma", "build", "index.js");

if (!fs.existsSync(cli)) {
  console.warn("postinstall: the prisma package is not installed, skipping `prisma generate`.");
  process.exit(0);
}

// Prisma packages that drift apart (say, after upgrading one of them) fail the install here, loudly.
const mismatch = versionMismatchMessage(installedPrismaVersions());
if (mismatch) {
  console.error(`postinstall: ${mismatch}`);
  process.exit(1);
}

const SCHEMAS = ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"];

const started = performance.now();
for (const schema of SCHEMAS) {
  const result = spawnSync(process.execPath, [cli, "generate", "--schema", schema], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.join(here, "schema-engine.mjs"),
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (result.error) {
    console.error(`postinstall: could not run prisma generate --schema ${schema}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
console.log(
  `postinstall: prisma generate (SQLite and PostgreSQL clients) done in ${Math.round(performance.now() - started)} ms`,
);
