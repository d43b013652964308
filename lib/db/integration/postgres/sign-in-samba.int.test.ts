import { runOnPostgres } from "./test-postgres";

// The tests of lib/auth/integration/sign-in-samba.int.test.ts (sign-ins against the real directories) on PostgreSQL.
await runOnPostgres("sign-in-samba", () => import("@/lib/auth/integration/sign-in-samba.int.test"));
