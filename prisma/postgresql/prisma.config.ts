import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// The Prisma CLI for the PostgreSQL schema (developer tooling, like the root prisma.config.ts):
//
//   DATABASE_URL=postgresql://… npx prisma migrate dev --config prisma/postgresql/prisma.config.ts --name <change>
//
// `npm start` applies prisma/postgresql/migrations itself (lib/db/migrate), never through this file.
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(rootDir, "tools", "prisma-schema-engine", "schema-engine.mjs");

export default defineConfig({
  schema: path.join(rootDir, "prisma", "postgresql", "schema.prisma"),
  migrations: { path: path.join(rootDir, "prisma", "postgresql", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/portal" },
});
