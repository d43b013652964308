import "server-only";
import { db } from "./client";
import type { Prisma } from "./generated/client";

/** Reading the audit trail: newest first, a page at a time, optionally one kind of action. */

export const AUDIT_PAGE_SIZE = 50;

/** Kinds always offered in the filter, even before any such event exists. */
const KNOWN_KINDS = ["login", "ldap_config", "group", "user", "membership"];

/** The kind of an action is its prefix: "group.update" -> "group", "login" -> "login". */
export function kindOfAction(action: string): string {
  return action.split(".")[0] ?? action;
}

function whereKind(kind: string | undefined): Prisma.AuditEventWhereInput {
  if (!kind) return {};
  return { OR: [{ action: kind }, { action: { startsWith: `${kind}.` } }] };
}

export async function listAuditEvents({ kind, page }: { kind?: string; page: number }) {
  const where = whereKind(kind);
  const total = await db().auditEvent.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  const events = await db().auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (current - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
  });
  return { events, total, page: current, pageCount };
}

/** The kinds to offer: the known ones plus any prefix found in the log. */
export async function listAuditKinds(): Promise<string[]> {
  const actions = await db().auditEvent.findMany({ distinct: ["action"], select: { action: true } });
  const kinds = new Set(KNOWN_KINDS);
  for (const { action } of actions) kinds.add(kindOfAction(action));
  return [...kinds].sort();
}
