import { runOnPostgres } from "./test-postgres";

// The tests of lib/auth/throttle.test.ts on PostgreSQL, in a schema of its own (?schema=): the brake holds under parallel guesses.
await runOnPostgres("throttle", () => import("@/lib/auth/throttle.test"), "?schema=portal");
