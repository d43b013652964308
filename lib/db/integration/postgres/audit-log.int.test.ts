import { runOnPostgres } from "./test-postgres";

// The tests of lib/db/integration/audit-log.int.test.ts on PostgreSQL: the Audit page's filters and the export's batches.
await runOnPostgres("audit_log", () => import("../audit-log.int.test"));
