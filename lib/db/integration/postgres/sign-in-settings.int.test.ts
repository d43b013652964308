import { runOnPostgres } from "./test-postgres";

// The tests of lib/db/sign-in-settings.test.ts on PostgreSQL: its statement-level triggers move the settings version.
await runOnPostgres("sign-in-settings", () => import("../../sign-in-settings.test"));
