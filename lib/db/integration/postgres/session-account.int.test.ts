import { runOnPostgres } from "./test-postgres";

// The sessions' tests of lib/db/integration/session-account.int.test.ts on PostgreSQL (the statement count is SQLite's).
await runOnPostgres("session-account", () => import("../session-account.int.test"));
