import { runOnPostgres } from "./test-postgres";

// The tests of lib/db/integration/readiness.int.test.ts on PostgreSQL: prisma/postgresql/migrations against its rows.
await runOnPostgres("readiness", () => import("../readiness.int.test"));
