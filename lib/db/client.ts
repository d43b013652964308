import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { env } from "../env";

/** Turns "file:./data/portal.db" into a path, refusing anything the embedded default cannot open. */
export function sqlitePathFromUrl(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(
      `DATABASE_URL "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}" is not a SQLite file URL; ` +
        'use "file:./data/portal.db" (PostgreSQL needs the PostgreSQL schema, see README).',
    );
  }
  return path.resolve(databaseUrl.slice("file:".length));
}

function createClient() {
  const file = sqlitePathFromUrl(env().databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: file, timeout: 10_000 });
  return new PrismaClient({
    adapter,
    // The encrypted bind secret never leaves the database unless a query asks for it by name.
    omit: { ldapConfig: { serviceAccountPasswordEncrypted: true } },
  });
}

export type Db = ReturnType<typeof createClient>;

// One client per process, also across Next's hot reloads in development.
const globalForDb = globalThis as unknown as { portalDb?: Db };

export function db(): Db {
  globalForDb.portalDb ??= createClient();
  return globalForDb.portalDb;
}
