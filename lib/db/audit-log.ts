import "server-only";
import type { AuditFilters } from "@/lib/audit-export/filters";
import { db } from "./client";
import type { Prisma } from "./generated/client";

/** Reading the audit trail: newest first, a page at a time or all of it in batches, filtered. */

export const AUDIT_PAGE_SIZE = 50;

/** Kinds always offered in the filter, even before any such event exists. */
const KNOWN_KINDS = [
  "audit",
  "config",
  "directory_sync",
  "group",
  "ldap_config",
  "login",
  "membership",
  "session",
  "user",
];

/** Actions the portal records, offered in the filter even before any such event exists. */
const KNOWN_ACTIONS = [
  "audit.export",
  "config.export",
  "config.import",
  "directory_sync.preview",
  "directory_sync.run",
  "group.create",
  "group.delete",
  "group.update",
  "ldap_config.create",
  "ldap_config.delete",
  "ldap_config.disable",
  "ldap_config.enable",
  "ldap_config.test",
  "ldap_config.update",
  "login",
  "login.summary",
  "membership.add",
  "membership.remove",
  "membership.sync",
  "session.sign_out_others",
  "user.create",
  "user.delete",
  "user.directory_disable",
  "user.directory_enable",
  "user.disable",
  "user.enable",
  "user.password_reset",
  "user.sign_out_everywhere",
];

/** The kind of an action is its prefix: "group.update" -> "group", "login" -> "login". */
export function kindOfAction(action: string): string {
  return action.split(".")[0] ?? action;
}

function whereOf(filters: AuditFilters): Prisma.AuditEventWhereInput {
  const { from, before, actor, kind, action, outcome } = filters;
  const where: Prisma.AuditEventWhereInput[] = [];
  if (kind) where.push({ OR: [{ action: kind }, { action: { startsWith: `${kind}.` } }] });
  if (action) where.push({ action });
  if (outcome) where.push({ outcome });
  // The whole actor: LIKE's wildcards cannot be escaped alike on SQLite and PostgreSQL, and an
  // export must hold exactly the rows asked for. Actors are stored lower-cased, as the portal
  // writes usernames, so a login typed with capitals is found too.
  if (actor) where.push({ actor: { in: [...new Set([actor, actor.toLowerCase()])] } });
  if (from || before) where.push({ at: { ...(from && { gte: from }), ...(before && { lt: before }) } });
  return where.length > 0 ? { AND: where } : {};
}

const NEWEST_FIRST: Prisma.AuditEventOrderByWithRelationInput[] = [{ at: "desc" }, { id: "desc" }];

/** One page of the events matching `filters` (all of them without), newest first. */
export async function listAuditEvents({ page, ...filters }: AuditFilters & { page: number }) {
  const where = whereOf(filters);
  const total = await db().auditEvent.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  const events = await db().auditEvent.findMany({
    where,
    orderBy: NEWEST_FIRST,
    skip: (current - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
  });
  return { events, total, page: current, pageCount };
}

export type AuditEventRow = Awaited<ReturnType<typeof listAuditEvents>>["events"][number];

export const AUDIT_EXPORT_BATCH = 500;

/**
 * Every event matching `filters`, newest first, `batchSize` at a time: each batch is one query
 * that continues after the last row of the one before (by time, then id), so no connection or
 * transaction is held between batches and an export of any size reads each row once. Events
 * recorded after the first batch are newer than it and are left out.
 */
export async function* auditEventBatches(
  filters: AuditFilters,
  batchSize = AUDIT_EXPORT_BATCH,
): AsyncGenerator<AuditEventRow[]> {
  const where = whereOf(filters);
  let after: { at: Date; id: string } | undefined;
  for (;;) {
    const batch = await db().auditEvent.findMany({
      where: after
        ? { AND: [where, { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] }] }
        : where,
      orderBy: NEWEST_FIRST,
      take: batchSize,
    });
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    const last = batch.at(-1)!;
    after = { at: last.at, id: last.id };
  }
}

/** What the filter offers: the known kinds and actions plus any found in the log (one grouped query). */
export async function listAuditFilterChoices(): Promise<{ kinds: string[]; actions: string[] }> {
  const logged = (await db().auditEvent.groupBy({ by: ["action"] })).map((row) => row.action);
  return {
    kinds: [...new Set([...KNOWN_KINDS, ...logged.map(kindOfAction)])].sort(),
    actions: [...new Set([...KNOWN_ACTIONS, ...logged])].sort(),
  };
}
