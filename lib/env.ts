import "server-only";
import { databaseProviderOf, maskDatabaseUrl } from "./db/migrate/database-url.mjs";
import { loadSecrets } from "./secrets";

/** The environment, read and validated once. Every server module takes settings from here. */
export interface PortalEnv {
  dataDir: string;
  /** `file:…` (SQLite, the default) or `postgresql://…` / `postgres://…` (PostgreSQL). */
  databaseUrl: string;
  sessionSecret: string;
  encryptionKey: Buffer;
  adminUsername: string;
  adminPassword: string | undefined;
  sessionMaxAgeSeconds: number;
  /** Failed sign-ins allowed per username / per client address within 5 minutes before waits begin. */
  throttleUserLimit: number;
  throttleAddressLimit: number;
  /** Days audit events are kept; older ones are purged at start and every hour. */
  auditRetentionDays: number;
  /** METRICS_TOKEN: the bearer token /metrics asks for; without it /metrics answers loopback only. */
  metricsToken: string | undefined;
  /** STATS_FLUSH_SECONDS: how often the admin home's sign-in counts are written (60). */
  statsFlushSeconds: number;
  /** PORTAL_PROVISION_FILE: a configuration document every start imports (lib/config-document). */
  provisionFile: string | undefined;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  }
  return value;
}

/** DATABASE_URL, else the SQLite file in the data directory; refuses any other kind of URL. */
export function databaseUrlFrom(raw: string | undefined, dataDir: string): string {
  const url = raw || `file:${dataDir}/portal.db`;
  if (!databaseProviderOf(url)) {
    throw new Error(
      `DATABASE_URL must be a SQLite file URL (file:./data/portal.db) or a PostgreSQL URL (postgresql://user:password@host:5432/portal), got "${maskDatabaseUrl(url)}"`,
    );
  }
  return url;
}

let cached: PortalEnv | undefined;

export function env(): PortalEnv {
  if (cached) return cached;
  const dataDir = process.env.DATA_DIR || "./data";
  const secrets = loadSecrets(dataDir);
  cached = {
    dataDir,
    databaseUrl: databaseUrlFrom(process.env.DATABASE_URL, dataDir),
    sessionSecret: secrets.sessionSecret,
    encryptionKey: secrets.encryptionKey,
    adminUsername: (process.env.ADMIN_USERNAME || "admin@portal.local").trim().toLowerCase(),
    adminPassword: process.env.ADMIN_PASSWORD || undefined,
    sessionMaxAgeSeconds: positiveInt("SESSION_MAX_AGE", 8 * 60 * 60),
    throttleUserLimit: positiveInt("LOGIN_THROTTLE_USER_LIMIT", 5),
    throttleAddressLimit: positiveInt("LOGIN_THROTTLE_ADDRESS_LIMIT", 20),
    auditRetentionDays: positiveInt("AUDIT_RETENTION_DAYS", 365),
    metricsToken: process.env.METRICS_TOKEN || undefined,
    statsFlushSeconds: positiveInt("STATS_FLUSH_SECONDS", 60),
    provisionFile: process.env.PORTAL_PROVISION_FILE || undefined,
  };
  return cached;
}
