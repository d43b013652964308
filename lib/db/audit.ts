import "server-only";
import { db, transaction } from "./client";

export type AuditOutcome = "success" | "failure";

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  outcome: AuditOutcome;
  /** Never put a password or bind secret here. */
  details?: Record<string, unknown>;
}

/** Longest text kept in any audit field; longer values (often typed by anyone) are cut. */
export const AUDIT_TEXT_MAX = 1000;
/** Most list entries kept in a detail (e.g. group names); the rest are counted. */
export const AUDIT_LIST_MAX = 200;

function capText(text: string): string {
  return text.length > AUDIT_TEXT_MAX
    ? `${text.slice(0, AUDIT_TEXT_MAX)}… (${text.length - AUDIT_TEXT_MAX} more characters)`
    : text;
}

/** The details with every text and list cut to the caps, at any depth. */
export function capDetails(value: unknown): unknown {
  if (typeof value === "string") return capText(value);
  if (Array.isArray(value)) {
    const kept = value.slice(0, AUDIT_LIST_MAX).map(capDetails);
    return value.length > AUDIT_LIST_MAX ? [...kept, `… ${value.length - AUDIT_LIST_MAX} more`] : kept;
  }
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [capText(key), capDetails(inner)]));
  return value;
}

function eventData(entry: AuditEntry) {
  return {
    actor: capText(entry.actor),
    action: entry.action,
    target: entry.target === undefined ? null : capText(entry.target),
    outcome: entry.outcome,
    details: JSON.stringify(capDetails(entry.details ?? {})),
  };
}

export async function recordAudit(entry: AuditEntry): Promise<void> {
  await db().auditEvent.create({ data: eventData(entry) });
}

/** Failed sign-ins logged one by one per client address and minute; the rest are summarised. */
export const FAILED_SIGN_INS_LOGGED_PER_MINUTE = 30;

/**
 * Records a failed sign-in unless this client address already had its allowance this minute;
 * past it, one "login.summary" event per address and minute counts the rest. So anonymous
 * traffic grows the log by a bounded number of rows per address and minute.
 */
export async function recordFailedSignIn(entry: AuditEntry, clientAddress: string, now = Date.now()): Promise<void> {
  const minuteStart = Math.floor(now / 60_000) * 60_000;
  const key = `${capText(clientAddress)}|${minuteStart}`;
  await transaction(async (tx) => {
    const allowance = await tx.auditAllowance.upsert({
      where: { key },
      create: { key, count: 1, expiresAt: new Date(minuteStart + 2 * 60_000) },
      update: { count: { increment: 1 } },
    });
    const beyond = allowance.count - FAILED_SIGN_INS_LOGGED_PER_MINUTE;
    if (beyond <= 0) {
      await tx.auditEvent.create({ data: eventData(entry) });
      return;
    }
    const summary = eventData({
      actor: "system",
      action: "login.summary",
      target: clientAddress,
      outcome: "failure",
      details: {
        clientAddress,
        from: new Date(minuteStart).toISOString(),
        to: new Date(minuteStart + 60_000).toISOString(),
        notLoggedSeparately: beyond,
        reason: `more than ${FAILED_SIGN_INS_LOGGED_PER_MINUTE} failed sign-ins from this address in one minute: the rest are counted here`,
      },
    });
    if (allowance.summaryEventId) {
      await tx.auditEvent.update({ where: { id: allowance.summaryEventId }, data: { details: summary.details } });
    } else {
      const created = await tx.auditEvent.create({ data: summary });
      await tx.auditAllowance.update({ where: { key }, data: { summaryEventId: created.id } });
    }
  });
}

/** Deletes audit events older than the retention and spent allowances; returns how many events. */
export async function purgeAudit(now: number, retentionDays: number): Promise<number> {
  await db().auditAllowance.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  const { count } = await db().auditEvent.deleteMany({
    where: { at: { lt: new Date(now - retentionDays * 24 * 60 * 60_000) } },
  });
  return count;
}
