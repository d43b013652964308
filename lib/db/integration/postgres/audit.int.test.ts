import { runOnPostgres } from "./test-postgres";

// The tests of lib/db/audit.test.ts on PostgreSQL: the per-address allowance holds under 100 parallel failures.
await runOnPostgres("audit", () => import("../../audit.test"));
