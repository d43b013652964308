import "server-only";
import { addDirectoryStat, configurationIdsByName, purgeDirectoryStats } from "@/lib/db/directory-stats";
import { env } from "@/lib/env";
import { componentLogger, errorFields } from "./logger.mjs";
import { metrics } from "./metrics";
import { statsBuffer, type StatsBuffer, type StatsCell } from "./stats";
import { onShutdown } from "./shutdown.mjs";

const log = componentLogger("stats");

/** Hours kept in DirectoryStat: the admin home reads one day. */
const KEEP_MS = 8 * 24 * 60 * 60_000;
const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Adds what this process counted since the last flush to DirectoryStat, one statement per hour
 * and configuration. Counts of a configuration deleted meanwhile are dropped; what could not be
 * written goes back into the buffer for the next flush (nothing counted twice, nothing lost
 * while the database is away).
 */
export async function flushDirectoryStats(buffer: StatsBuffer = statsBuffer()): Promise<number> {
  const cells = buffer.drain();
  if (cells.length === 0) return 0;
  let ids: Map<string, string>;
  try {
    const names = [...new Set(cells.flatMap((cell) => (cell.key.startsWith("ldap:") ? [cell.key.slice(5)] : [])))];
    ids = await configurationIdsByName(names);
  } catch (error) {
    buffer.restore(cells);
    throw error;
  }
  let written = 0;
  for (const [index, cell] of cells.entries()) {
    const configKey = cell.key.startsWith("ldap:") ? ids.get(cell.key.slice(5)) : cell.key;
    if (configKey === undefined) continue;
    try {
      await addDirectoryStat(deltaOf(cell, configKey));
      written += 1;
    } catch (error) {
      buffer.restore(cells.slice(index));
      throw error;
    }
  }
  return written;
}

function deltaOf(cell: StatsCell, configKey: string) {
  return {
    hour: new Date(cell.hour),
    configKey,
    successes: cell.successes,
    failures: cell.failures,
    latency: cell.latency,
    ...(cell.lastUrl !== undefined && cell.lastUrlAt !== undefined
      ? { lastUrl: cell.lastUrl, lastUrlAt: new Date(cell.lastUrlAt) }
      : {}),
    ...(cell.lastFailoverAt !== undefined ? { lastFailoverAt: new Date(cell.lastFailoverAt) } : {}),
  };
}

const FLUSHER = Symbol.for("ldap-portal.stats-flusher");
const globalForFlusher = globalThis as unknown as { [FLUSHER]?: { stop: () => Promise<void> } };

/**
 * Flushes every STATS_FLUSH_SECONDS (60 by default) and once more when the server stops; purges
 * old hours once an hour. One flusher per process (instrumentation.ts starts it).
 */
export function startStatsFlusher(): void {
  if (globalForFlusher[FLUSHER]) return;
  let running: Promise<unknown> = Promise.resolve();
  let purgedAt = 0;
  const flush = () => {
    running = running.then(async () => {
      try {
        await flushDirectoryStats();
        if (Date.now() - purgedAt >= PURGE_EVERY_MS) {
          purgedAt = Date.now();
          await purgeDirectoryStats(new Date(Date.now() - KEEP_MS));
        }
      } catch (error) {
        metrics().statsFlushFailures.inc();
        log.warn({ ...errorFields(error) }, "Sign-in statistics could not be written; they are kept for the next try");
      }
    });
    return running;
  };
  const timer = setInterval(flush, env().statsFlushSeconds * 1000);
  timer.unref();
  const stop = async () => {
    clearInterval(timer);
    await flush();
  };
  globalForFlusher[FLUSHER] = { stop };
  onShutdown(stop);
}
