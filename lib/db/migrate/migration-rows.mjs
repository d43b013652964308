// @ts-check
// Reading `_prisma_migrations`, the same for every dialect: only how a timestamp is stored differs.

/** The columns of `_prisma_migrations` the runner reads, oldest started_at first. */
export const LIST_MIGRATIONS_SQL =
  'SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at ASC';

/**
 * @param {Record<string, unknown>} row a row of LIST_MIGRATIONS_SQL
 * @param {(value: unknown) => number | null} toMs the dialect's reading of a stored timestamp
 * @returns {import("./dialect.d.mts").MigrationRow}
 */
export function migrationRowOf(row, toMs) {
  return {
    id: String(row.id),
    checksum: String(row.checksum),
    migrationName: String(row.migration_name),
    startedAt: toMs(row.started_at) ?? 0,
    finishedAt: toMs(row.finished_at),
    rolledBackAt: toMs(row.rolled_back_at),
    appliedStepsCount: Number(row.applied_steps_count),
    logs: row.logs === null || row.logs === undefined ? null : String(row.logs),
  };
}
