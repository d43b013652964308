import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { hashPassword } from "../../lib/auth/password";

/** Direct access to the portal's test database (.e2e-data), for arranging test data. */
export const E2E_DATABASE = ".e2e-data/portal.db";

function open() {
  const database = new Database(E2E_DATABASE);
  database.pragma("busy_timeout = 10000");
  return database;
}

export async function createLocalUser(username: string, password: string): Promise<string> {
  const passwordHash = await hashPassword(password);
  const database = open();
  try {
    const id = randomUUID();
    database
      .prepare(
        "INSERT INTO User (id, username, source, passwordHash, disabled, createdAt) VALUES (?, ?, 'local', ?, 0, ?)",
      )
      .run(id, username, passwordHash, Date.now());
    return id;
  } finally {
    database.close();
  }
}

export function queryAll<T>(sql: string, ...params: unknown[]): T[] {
  const database = open();
  try {
    return database.prepare(sql).all(...params) as T[];
  } finally {
    database.close();
  }
}
