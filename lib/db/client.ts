import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
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

// better-sqlite3 gives the adapter one connection per process. Another request's query would run
// inside an open interactive transaction (seeing its uncommitted rows, lost with its rollback),
// so plain queries wait while a transaction runs, and a transaction waits for running queries.
const insideTransaction = new AsyncLocalStorage<true>();
let transactionRunning: Promise<void> | undefined;
let queriesRunning = 0;
const queriesIdle: (() => void)[] = [];

function createClient() {
  const file = sqlitePathFromUrl(env().databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: file, timeout: 10_000 });
  return new PrismaClient({
    adapter,
    // The encrypted bind secret never leaves the database unless a query asks for it by name.
    omit: { ldapConfig: { serviceAccountPasswordEncrypted: true } },
  }).$extends({
    query: {
      async $allOperations({ args, query }) {
        if (insideTransaction.getStore()) return query(args);
        while (transactionRunning) await transactionRunning;
        queriesRunning += 1;
        try {
          return await query(args);
        } finally {
          queriesRunning -= 1;
          if (queriesRunning === 0) for (const wake of queriesIdle.splice(0)) wake();
        }
      },
    },
  });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// One client per process, also across Next's hot reloads in development.
const globalForDb = globalThis as unknown as { portalDb?: Db };

export function db(): Db {
  globalForDb.portalDb ??= createClient();
  return globalForDb.portalDb;
}

/** An interactive transaction that no other request's query can see into or join. */
export async function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  while (transactionRunning) await transactionRunning;
  let finished!: () => void;
  transactionRunning = new Promise((resolve) => (finished = resolve));
  try {
    if (queriesRunning > 0) await new Promise<void>((resolve) => queriesIdle.push(resolve));
    return await insideTransaction.run(true, () => db().$transaction(work));
  } finally {
    transactionRunning = undefined;
    finished();
  }
}
