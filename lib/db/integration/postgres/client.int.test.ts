import { runOnPostgres } from "./test-postgres";

// The tests of lib/db/client.test.ts on PostgreSQL: a transaction stays invisible to other queries, its rollback to itself.
await runOnPostgres("client", () => import("../../client.test"));
