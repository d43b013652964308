import type { PoolConfig } from "pg";

/** "sqlite" for file: URLs, "postgresql" for postgres:// and postgresql:// ones, undefined otherwise. */
export function databaseProviderOf(databaseUrl: string): "sqlite" | "postgresql" | undefined;

/** The URL with its password replaced by *** (to print it). */
export function maskDatabaseUrl(databaseUrl: string): string;

/**
 * pg's pool settings for a PostgreSQL URL: its sslmode with libpq's meanings, search_path set
 * to ?schema= (default public), connection_limit (default 10) and connect_timeout (seconds,
 * default 5) as in Prisma. Throws on a malformed URL or setting.
 */
export function postgresSettings(
  databaseUrl: string,
  defaults?: { connectionLimit?: number; connectTimeoutMs?: number },
): { config: PoolConfig; schema: string };

/** A PostgreSQL identifier in double quotes. */
export function quoteIdentifier(name: string): string;
