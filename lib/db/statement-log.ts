// Counts the SQL statements a piece of work sends, in this process: a Prisma client that emits
// query events is installed as the process's client (lib/db/client.ts keeps it in
// globalThis.portalDb) before anything calls db(). bench:login counts one sign-in with it.
import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { sqlitePathFromUrl } from "./client";

export interface StatementLog {
  statements: string[];
  /** Runs `work` and returns the statements it sent, in order. */
  during<T>(work: () => Promise<T>): Promise<{ value: T; statements: string[] }>;
}

/** Installs the counting client; call before the first db(). `databaseUrl` is a SQLite file URL. */
export function installStatementLog(databaseUrl: string): StatementLog {
  const client = new PrismaClient({
    adapter: new PrismaBetterSqlite3({ url: sqlitePathFromUrl(databaseUrl), timeout: 10_000 }),
    omit: { ldapConfig: { serviceAccountPasswordEncrypted: true } },
    log: [{ emit: "event", level: "query" }],
  });
  const log: StatementLog = {
    statements: [],
    async during(work) {
      log.statements = [];
      const value = await work();
      const statements = log.statements;
      log.statements = [];
      return { value, statements };
    },
  };
  client.$on("query", (event) => log.statements.push(event.query));
  (globalThis as unknown as { portalDb?: unknown }).portalDb = client;
  return log;
}

/** One statement per line, shortened: the table and the verb are what matter. */
export function describeStatements(statements: string[]): string {
  return statements
    .map((sql, index) => {
      const text = sql.replace(/\s+/g, " ").replace(/`main`\./g, "");
      return `  ${String(index + 1).padStart(2)}. ${text.length > 150 ? `${text.slice(0, 147)}...` : text}`;
    })
    .join("\n");
}
