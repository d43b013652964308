import "server-only";
import { db } from "./client";

export type AuditOutcome = "success" | "failure";

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  outcome: AuditOutcome;
  /** Never put a password or bind secret here. */
  details?: Record<string, unknown>;
}

export async function recordAudit(entry: AuditEntry): Promise<void> {
  await db().auditEvent.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome,
      details: JSON.stringify(entry.details ?? {}),
    },
  });
}
