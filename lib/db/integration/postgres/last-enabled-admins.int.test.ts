import { runOnPostgres } from "./test-postgres";

// The tests of ../last-enabled-admins.int.test.ts on PostgreSQL: concurrent demotions leave one administrator without the SQLite lock.
await runOnPostgres("last-enabled-admins", () => import("../last-enabled-admins.int.test"));
