import { runOnPostgres } from "./test-postgres";

// The tests of ../delete-config-admins.int.test.ts on PostgreSQL.
await runOnPostgres("delete-config-admins", () => import("../delete-config-admins.int.test"));
