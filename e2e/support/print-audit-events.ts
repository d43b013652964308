import { listAuditEvents } from "../../lib/db/audit-log";
import { db } from "../../lib/db/client";

/**
 * Prints the audit events of one kind ("login", "user"…) of a portal's data directory as JSON,
 * oldest first, read through lib/db. For tests that start portals of their own: the test
 * workers' lib/db is bound to the test server's database.
 *
 *   node --conditions=react-server --import tsx e2e/support/print-audit-events.ts <data dir> <kind>
 */
const [dataDir, kind] = process.argv.slice(2);
if (!dataDir || !kind) throw new Error("usage: print-audit-events.ts <data dir> <kind>");
// lib/env.ts reads these at the first query.
process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${dataDir}/portal.db`;

const events = [];
for (let page = 1, pageCount = 1; page <= pageCount; page += 1) {
  const result = await listAuditEvents({ kind, page });
  events.push(...result.events);
  pageCount = result.pageCount;
}
await db().$disconnect();
process.stdout.write(JSON.stringify(events.reverse()));
