export async function register() {
  // Bootstrap in the Node.js server at start, never in the edge runtime nor during `next build`.
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { bootstrap } = await import("./lib/auth/bootstrap");
    const { withStartupLock } = await import("./lib/db/database");
    // Instances starting together on one PostgreSQL create one administrator and one set of groups.
    await withStartupLock(bootstrap);
    // PORTAL_PROVISION_FILE's configurations and groups, before the first request (a bad file stops the start).
    const { provisionAtServerStart } = await import("./lib/config-document/provision");
    await provisionAtServerStart();
    const { startHousekeeping } = await import("./lib/auth/housekeeping");
    startHousekeeping();
    const { startSyncSchedule } = await import("./lib/directory-sync/schedule");
    startSyncSchedule();
    // The admin home's sign-in counts, written once a minute and when the server stops.
    const { startStatsFlusher } = await import("./lib/observability/flusher");
    startStatsFlusher();
  }
}
