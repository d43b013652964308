import { runOnPostgres } from "./test-postgres";

// The tests of lib/config-document/integration/apply.int.test.ts on PostgreSQL: one transaction,
// idempotent, two imports at once (serializable transactions, a unique name taken meanwhile).
await runOnPostgres("config-document", () => import("../../../config-document/integration/apply.int.test"));
