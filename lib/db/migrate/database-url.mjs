// @ts-check
// DATABASE_URL in one place, for the runner, `npm start` and the app's client (lib/db/client.ts):
// which database it names, how to print it without its password, and the pg settings of a
// PostgreSQL URL. Plain JavaScript so that `npm start` uses it with plain Node.
//
//   file:./data/portal.db                          SQLite (the embedded default)
//   postgresql://user:password@host:5432/portal    PostgreSQL (also postgres://)
//     ?schema=portal        tables in that schema (created by the migrations if missing), as in Prisma
//     ?sslmode=disable|prefer|require|verify-ca|verify-full (+ sslrootcert=, sslcert=, sslkey=), libpq's meanings
//     ?connection_limit=10  connections per instance; ?connect_timeout=5 seconds to connect

import { parse } from "pg-connection-string";

/** @type {typeof import("./database-url.d.mts").databaseProviderOf} */
export function databaseProviderOf(databaseUrl) {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return "postgresql";
  return undefined;
}

/** @type {typeof import("./database-url.d.mts").maskDatabaseUrl} */
export function maskDatabaseUrl(databaseUrl) {
  return databaseUrl
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, "$1:***@")
    .replace(/([?&]password=)[^&#]*/gi, "$1***");
}

// Settings Prisma reads from the URL that mean nothing to pg (or that this file turns into pg's).
const PRISMA_PARAMETERS = [
  "schema",
  "connection_limit",
  "connect_timeout",
  "pool_timeout",
  "socket_timeout",
  "pgbouncer",
  "statement_cache_size",
  "sslaccept",
  "sslidentity",
  "sslpassword",
];

/** @type {typeof import("./database-url.d.mts").postgresSettings} */
export function postgresSettings(databaseUrl, defaults = {}) {
  const url = new URL(databaseUrl);
  const param = (/** @type {string} */ name) => url.searchParams.get(name) ?? undefined;
  const schema = param("schema") || "public";
  const connectionLimit = Number(param("connection_limit") ?? defaults.connectionLimit ?? 10);
  const connectTimeoutSeconds = Number(param("connect_timeout") ?? (defaults.connectTimeoutMs ?? 5_000) / 1000);
  if (!Number.isInteger(connectionLimit) || connectionLimit < 1)
    throw new Error(
      `DATABASE_URL: connection_limit must be a positive whole number (got "${param("connection_limit")}")`,
    );
  if (!Number.isFinite(connectTimeoutSeconds) || connectTimeoutSeconds < 0)
    throw new Error(`DATABASE_URL: connect_timeout must be a number of seconds (got "${param("connect_timeout")}")`);
  for (const name of PRISMA_PARAMETERS) url.searchParams.delete(name);

  // libpq's sslmode meanings (require: encrypted, certificate not checked; verify-full: checked),
  // as Prisma's own driver has them, unless the URL asks for pg's with uselibpqcompat=false.
  const libpq = !url.searchParams.has("uselibpqcompat");
  const parsed = /** @type {Record<string, unknown>} */ (parse(url.toString(), { useLibpqCompat: libpq }));
  for (const name of ["uselibpqcompat", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslnegotiation"])
    delete parsed[name];
  // Every connection starts in the schema, so raw SQL sees the same tables as the client.
  const searchPath = `-c search_path=${quoteIdentifier(schema).replace(/[\\ ]/g, "\\$&")}`;
  const options = typeof parsed.options === "string" && parsed.options ? `${parsed.options} ${searchPath}` : searchPath;
  const config = /** @type {import("pg").PoolConfig} */ ({
    ...parsed,
    port: parsed.port ? Number(parsed.port) : undefined,
    options,
    max: connectionLimit,
    connectionTimeoutMillis: Math.round(connectTimeoutSeconds * 1000),
  });
  return { config, schema };
}

/** @param {string} name */
export function quoteIdentifier(name) {
  return `"${name.replace(/"/g, '""')}"`;
}
