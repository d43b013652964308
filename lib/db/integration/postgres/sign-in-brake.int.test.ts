import { runOnPostgres } from "./test-postgres";

// The tests of lib/auth/integration/sign-in-brake.int.test.ts (sign-ins against the real directories) on PostgreSQL.
await runOnPostgres("sign-in-brake", () => import("@/lib/auth/integration/sign-in-brake.int.test"));
