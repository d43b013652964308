// The portal's log: pino, one JSON object per line by default in production (what log shippers
// read), human-readable lines with LOG_FORMAT=pretty (the default under `next dev`). LOG_LEVEL
// picks how much (info by default). Plain JavaScript so that scripts/server.mjs uses it without
// a build; the app imports it as "@/lib/observability/logger.mjs".
import pino from "pino";
import pretty from "pino-pretty";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
export const LOG_FORMATS = ["json", "pretty"];

/**
 * Fields that never reach a line whatever a caller passes: passwords, secrets, tokens, cookies
 * and authorization headers, at the top level and one level down (`details.password`), plus the
 * request headers of a logged request.
 */
const SECRET_KEYS = [
  "password",
  "newPassword",
  "serviceAccountPassword",
  "secret",
  "bindSecret",
  "token",
  "sessionToken",
  "csrfToken",
  "cookie",
  "authorization",
];
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'headers["set-cookie"]',
  'req.headers["set-cookie"]',
  "req.headers.cookie",
  "req.headers.authorization",
];

/**
 * LOG_LEVEL and LOG_FORMAT, checked. The format defaults to JSON in production and to pretty
 * lines elsewhere.
 * @returns {{ ok: true, level: string, format: "json" | "pretty" } | { ok: false, message: string }}
 */
export function logSettings(environment = process.env) {
  const level = (environment.LOG_LEVEL || "info").trim().toLowerCase();
  if (!LOG_LEVELS.includes(level))
    return { ok: false, message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${environment.LOG_LEVEL}")` };
  const fallback = environment.NODE_ENV === "production" ? "json" : "pretty";
  const format = (environment.LOG_FORMAT || fallback).trim().toLowerCase();
  if (!LOG_FORMATS.includes(format))
    return { ok: false, message: `LOG_FORMAT must be json or pretty (got "${environment.LOG_FORMAT}")` };
  return { ok: true, level, format };
}

/**
 * A logger writing to `destination` (a stream, or a file descriptor: stdout by default). Pretty
 * lines are formatted in this process, synchronously: no worker thread, nothing lost at exit.
 * @param {{ level?: string, format?: "json" | "pretty", destination?: import("pino").DestinationStream | number }} [options]
 */
export function createLogger(options = {}) {
  const settings = logSettings();
  const level = options.level ?? (settings.ok ? settings.level : "info");
  const format = options.format ?? (settings.ok ? settings.format : "json");
  const stream =
    format === "pretty"
      ? pretty({
          sync: true,
          colorize: false,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "pid,hostname,component",
          singleLine: true,
          messageFormat: "{if component}{component}: {end}{msg}",
          destination: options.destination ?? 1,
        })
      : typeof options.destination === "number" || options.destination === undefined
        ? pino.destination({ dest: options.destination ?? 1, sync: true })
        : options.destination;
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

const LOGGER = Symbol.for("ldap-portal.logger");

/**
 * The process's logger: one for the custom server and every bundle Next.js loads (they share
 * globalThis). An unreadable LOG_LEVEL or LOG_FORMAT stops `npm start` (scripts/server.mjs);
 * anywhere else the defaults apply.
 * @returns {import("pino").Logger}
 */
export function logger() {
  globalThis[LOGGER] ??= createLogger();
  return globalThis[LOGGER];
}

/** Replaces the process's logger (tests capture lines with it); returns the one it replaced. */
export function setLogger(next) {
  const previous = globalThis[LOGGER];
  globalThis[LOGGER] = next;
  return previous;
}

/**
 * A logger for one part of the portal: every line carries `component`. Each call takes the
 * message, or fields and then the message: `log.warn({ configuration }, "sync held")`.
 */
export function componentLogger(component) {
  const at = (level) => (fieldsOrMessage, message) =>
    typeof fieldsOrMessage === "string"
      ? logger()[level]({ component }, fieldsOrMessage)
      : logger()[level]({ component, ...fieldsOrMessage }, message);
  return { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}

/** An error as a log field: its message (and code), never its stack's arguments. */
export function errorFields(error) {
  if (error instanceof Error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    return { error: error.message, ...(typeof code === "string" ? { errorCode: code } : {}) };
  }
  return { error: String(error) };
}
