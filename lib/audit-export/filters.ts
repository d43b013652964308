/**
 * The Audit page's filters as they travel in the URL (a plain GET form, so a filtered view can be
 * bookmarked and the downloads carry the same query): parsed once, for the page and the export
 * route alike. Pure.
 */

export const AUDIT_OUTCOMES = ["success", "failure"] as const;
export type AuditOutcomeFilter = (typeof AUDIT_OUTCOMES)[number];

/** The fields in the order the form shows them and the URL lists them. */
export const AUDIT_FILTER_FIELDS = ["from", "to", "actor", "kind", "action", "outcome"] as const;
export type AuditFilterField = (typeof AUDIT_FILTER_FIELDS)[number];

/** The values as typed (trimmed), to show again in the form and to carry into links. */
export type AuditFilterValues = Record<AuditFilterField, string>;

/** What the query asks of the audit trail. Times are UTC; `before` is exclusive. */
export interface AuditFilters {
  from?: Date;
  before?: Date;
  /** The whole actor ("admin@portal.local", "system"), as typed or lower-cased. */
  actor?: string;
  /** An action's prefix ("group" → group.create, group.update…). */
  kind?: string;
  /** One exact action ("group.create"). */
  action?: string;
  outcome?: AuditOutcomeFilter;
}

export type AuditFilterErrors = Partial<Record<AuditFilterField, string>>;

export type ParsedAuditFilters =
  | { ok: true; values: AuditFilterValues; filters: AuditFilters }
  | { ok: false; values: AuditFilterValues; errors: AuditFilterErrors };

export const AUDIT_ACTOR_MAX = 320;
const KIND = /^[a-z0-9_]{1,40}$/;
const ACTION = /^[a-z0-9_]{1,40}(\.[a-z0-9_]{1,40}){0,3}$/;
// What <input type="datetime-local"> sends: minutes, or seconds with a step below 60 (a Z is tolerated).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z?$/;

type Query = URLSearchParams | Record<string, string | string[] | undefined>;

function read(query: Query, field: string): string {
  const value = query instanceof URLSearchParams ? query.get(field) : query[field];
  return ((Array.isArray(value) ? value[0] : value) ?? "").trim();
}

/**
 * A UTC date and time as datetime-local sends it, and the end of the unit it names (the minute,
 * or the second when seconds are given): "To 10:30" keeps what happened during 10:30.
 */
export function parseUtcDateTime(text: string): { start: Date; end: Date } | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const start = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  // Date.UTC rolls 31 February over to March: a date that does not exist is refused.
  const roundTrips =
    start.getUTCFullYear() === year &&
    start.getUTCMonth() === month! - 1 &&
    start.getUTCDate() === day &&
    start.getUTCHours() === hour &&
    start.getUTCMinutes() === minute &&
    start.getUTCSeconds() === second;
  if (!roundTrips) return undefined;
  return { start, end: new Date(start.getTime() + (match[6] === undefined ? 60_000 : 1_000)) };
}

const dateTimeError = (value: string) =>
  `“${value.length > 40 ? `${value.slice(0, 40)}…` : value}” is not a date and time: use YYYY-MM-DDTHH:MM, in UTC.`;

/** Reads the filters from the URL's query; every malformed field gets its own message. */
export function parseAuditFilters(query: Query): ParsedAuditFilters {
  const values = Object.fromEntries(
    AUDIT_FILTER_FIELDS.map((field) => [field, read(query, field)]),
  ) as AuditFilterValues;
  const errors: AuditFilterErrors = {};
  const filters: AuditFilters = {};

  const from = values.from ? parseUtcDateTime(values.from) : undefined;
  if (values.from && !from) errors.from = dateTimeError(values.from);
  if (from) filters.from = from.start;
  const to = values.to ? parseUtcDateTime(values.to) : undefined;
  if (values.to && !to) errors.to = dateTimeError(values.to);
  if (to) filters.before = to.end;
  if (from && to && to.start < from.start) errors.to = "“To” is before “From”: choose a later time, or swap them.";

  if (values.actor.length > AUDIT_ACTOR_MAX) errors.actor = `Enter at most ${AUDIT_ACTOR_MAX} characters.`;
  else if (values.actor) filters.actor = values.actor;

  if (values.kind && !KIND.test(values.kind)) errors.kind = "Choose a kind from the list.";
  else if (values.kind) filters.kind = values.kind;

  if (values.action && !ACTION.test(values.action)) errors.action = "Choose an action from the list.";
  else if (values.action) filters.action = values.action;

  if (values.outcome && !(AUDIT_OUTCOMES as readonly string[]).includes(values.outcome))
    errors.outcome = "Choose success or failure.";
  else if (values.outcome) filters.outcome = values.outcome as AuditOutcomeFilter;

  return Object.keys(errors).length > 0 ? { ok: false, values, errors } : { ok: true, values, filters };
}

/** The non-empty filter values in the form's order: the canonical query of a filtered view. */
export function auditFilterQuery(values: AuditFilterValues, extra: Record<string, string> = {}): URLSearchParams {
  const query = new URLSearchParams();
  for (const field of AUDIT_FILTER_FIELDS) if (values[field]) query.set(field, values[field]);
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return query;
}

/** The filters in force, as the export's audit event records them (UTC, as typed). */
export function describeAuditFilters(values: AuditFilterValues): Partial<AuditFilterValues> {
  return Object.fromEntries(
    AUDIT_FILTER_FIELDS.filter((field) => values[field]).map((field) => [field, values[field]]),
  );
}
