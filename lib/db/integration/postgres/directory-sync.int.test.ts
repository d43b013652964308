import { runOnPostgres } from "./test-postgres";

// The tests of lib/directory-sync/integration/sync.int.test.ts (syncs against the real directories) on PostgreSQL.
await runOnPostgres("directory-sync", () => import("@/lib/directory-sync/integration/sync.int.test"));
