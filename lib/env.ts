import "server-only";
import { loadSecrets } from "./secrets";

/** The environment, read and validated once. Every server module takes settings from here. */
export interface PortalEnv {
  dataDir: string;
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

let cached: PortalEnv | undefined;

export function env(): PortalEnv {
  if (cached) return cached;
  const dataDir = process.env.DATA_DIR || "./data";
  const secrets = loadSecrets(dataDir);
  cached = {
    dataDir,
    databaseUrl: process.env.DATABASE_URL || `file:${dataDir}/portal.db`,
    sessionSecret: secrets.sessionSecret,
    encryptionKey: secrets.encryptionKey,
    adminUsername: (process.env.ADMIN_USERNAME || "admin@portal.local").trim().toLowerCase(),
    adminPassword: process.env.ADMIN_PASSWORD || undefined,
    sessionMaxAgeSeconds: positiveInt("SESSION_MAX_AGE", 8 * 60 * 60),
    throttleUserLimit: positiveInt("LOGIN_THROTTLE_USER_LIMIT", 5),
    throttleAddressLimit: positiveInt("LOGIN_THROTTLE_ADDRESS_LIMIT", 20),
    auditRetentionDays: positiveInt("AUDIT_RETENTION_DAYS", 365),
  };
  return cached;
}
