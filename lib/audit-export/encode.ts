/**
 * The audit export's two formats, row by row so the route can stream them. Pure.
 *
 * CSV (RFC 4180, CRLF line ends): a field with a comma, quote or line break is quoted and its quotes
 * doubled; a field a spreadsheet would run as a formula (starting with = + - @, tab or carriage
 * return) is prefixed with ' (OWASP's CSV injection advice). The details column is the event's
 * JSON text. JSON lines: one JSON object per line, details as an object.
 */

export const AUDIT_EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AUDIT_EXPORT_COLUMNS = ["id", "at", "actor", "action", "target", "outcome", "details"] as const;

/** An audit event as the export reads it (the AuditEvent row). */
export interface ExportedAuditEvent {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  /** JSON text, as stored. */
  details: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: neutralised as a formula, then quoted when it has to be. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export function auditCsvHeader(): string {
  return csvRecord(AUDIT_EXPORT_COLUMNS);
}

/** The stored details as a value: the parsed JSON, or the text when it is not JSON. */
function detailsValue(details: string): unknown {
  try {
    return JSON.parse(details);
  } catch {
    return details;
  }
}

export function auditCsvLine(event: ExportedAuditEvent): string {
  const details = detailsValue(event.details);
  return csvRecord([
    event.id,
    event.at.toISOString(),
    event.actor,
    event.action,
    event.target ?? "",
    event.outcome,
    typeof details === "string" ? details : JSON.stringify(details),
  ]);
}

export function auditJsonLine(event: ExportedAuditEvent): string {
  return `${JSON.stringify({
    id: event.id,
    at: event.at.toISOString(),
    actor: event.actor,
    action: event.action,
    target: event.target,
    outcome: event.outcome,
    details: detailsValue(event.details),
  })}\n`;
}

export const AUDIT_EXPORT_CONTENT_TYPES: Record<AuditExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
};

/** "audit-2026-01-31.csv": the day of the export, in UTC. */
export function auditExportFilename(format: AuditExportFormat, now: Date): string {
  return `audit-${now.toISOString().slice(0, 10)}.${format}`;
}
