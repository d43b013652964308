import { runOnPostgres } from "./test-postgres";

// The tests of lib/auth/integration/partial-groups.int.test.ts (sign-ins against the real directories) on PostgreSQL.
await runOnPostgres("partial-groups", () => import("@/lib/auth/integration/partial-groups.int.test"));
