import { runOnPostgres } from "./test-postgres";

// The tests of lib/observability/integration/sign-in-observability.int.test.ts (sign-in metrics,
// logs and the additive per-hour statistics) on PostgreSQL.
await runOnPostgres("observability", () => import("@/lib/observability/integration/sign-in-observability.int.test"));
