import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const rootDir = path.dirname(fileURLToPath(import.meta.url));

// This machine cannot download Prisma's native schema engine: point the CLI at the drop-in
// replacement that drives @prisma/schema-engine-wasm (developer tooling, see
// tools/prisma-schema-engine/README.md). The CLI resolves the engine lazily, after loading this
// file, so setting the variable here is enough. The portal itself never loads it: `npm start`
// applies migrations with lib/db/migrate.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(rootDir, "tools", "prisma-schema-engine", "schema-engine.mjs");

/**
 * `file:` URLs are resolved against the repository root (where the app runs, process.cwd()),
 * whatever directory the CLI is started from.
 */
function resolveSqliteUrl(url: string): string {
  if (!url.startsWith("file:")) return url;
  const rest = url.slice("file:".length);
  if (rest.startsWith("/") || rest.startsWith(":memory:")) return url;
  return `file:${path.resolve(rootDir, rest)}`;
}

// Same default as the app (lib/env.ts): DATABASE_URL, else <DATA_DIR or ./data>/portal.db.
const databaseUrl = process.env.DATABASE_URL || `file:${process.env.DATA_DIR || "./data"}/portal.db`;

export default defineConfig({
  schema: path.join(rootDir, "prisma", "schema.prisma"),
  migrations: { path: path.join(rootDir, "prisma", "migrations") },
  datasource: { url: resolveSqliteUrl(databaseUrl) },
});
