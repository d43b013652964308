import { runOnPostgres } from "./test-postgres";

// The tests of lib/two-factor/integration/second-step.int.test.ts (the second step of a sign-in) on PostgreSQL.
await runOnPostgres("second-step", () => import("@/lib/two-factor/integration/second-step.int.test"));
