// Shared library of the offline schema engine (see README.md in this folder).
//
// It loads the Prisma schema engine compiled to WebAssembly (@prisma/schema-engine-wasm, the
// same Rust code as the native `schema-engine` binary) and connects it to the database through
// Prisma's driver adapters: @prisma/adapter-better-sqlite3 for SQLite, @prisma/adapter-pg for
// PostgreSQL. The adapters are wrapped to bridge the gaps between the wasm engine and the
// native one (each bridge is marked "GAP n", numbered as in the README).
//
// Plain ESM JavaScript on purpose: it runs straight from the repository, without a build.
// Everything it logs goes to stderr; stdout belongs to the JSON-RPC protocol.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import { assertPrismaVersions } from "./versions.mjs";

// Only the versions it was written for: a drift between prisma, @prisma/client, the adapters and
// the wasm engine stops here with a message naming them and the fix.
assertPrismaVersions();

const require = createRequire(import.meta.url);

/** The wasm package's version is "<prisma version>-<n>.<engines commit hash>". */
export function engineCommitHash() {
  const pkgPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "package.json");
  const { version } = JSON.parse(fs.readFileSync(pkgPath, "utf8"));
  return version.slice(version.lastIndexOf(".") + 1);
}

// ---------------------------------------------------------------------------------------------
// Logging: JSON lines on stderr, shaped like the native engine's tracing output
// ({"timestamp","level","fields":{"message",...},"target"}), which the Prisma CLI parses.

// The Prisma CLI starts the engine with RUST_LOG=info; library use defaults to warn.
const LEVELS = ["trace", "debug", "info", "warn", "error"];
function levelEnabled(level) {
  const setting = (process.env.RUST_LOG || "warn").toLowerCase();
  const wanted = LEVELS.indexOf(setting.split(",")[0].split("=").pop());
  return LEVELS.indexOf(level.toLowerCase()) >= (wanted < 0 ? 3 : wanted);
}

export function log(level, message, fields = {}, target = "schema_engine_offline") {
  if (level !== "error" && !levelEnabled(level)) return;
  const line = {
    timestamp: new Date().toISOString(),
    level: level.toUpperCase(),
    fields: { message, ...fields },
    target,
  };
  process.stderr.write(JSON.stringify(line) + "\n");
}

/** The migration applyMigrations is working on (from the engine's "Applying `name`" log line). */
let lastApplyingMigration = null;

/** Receives the wasm engine's own log lines (already JSON). */
function wasmLogCallback(line) {
  const text = String(line).trim();
  if (!text) return;
  try {
    const parsed = JSON.parse(text);
    const applying = /^Applying `(.+)`$/.exec(parsed?.fields?.message ?? "");
    if (applying) lastApplyingMigration = applying[1];
    const level = String(parsed.level ?? "INFO").toLowerCase();
    if (!levelEnabled(level)) return;
    if (!parsed.timestamp) parsed.timestamp = new Date().toISOString();
    process.stderr.write(JSON.stringify(parsed) + "\n");
  } catch {
    log("info", text, {}, "schema_engine_wasm");
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

/** A user-facing error with a Prisma error code (P1003, P3005, ...). */
export class KnownError extends Error {
  constructor(code, message, meta = {}) {
    super(message);
    this.code = code;
    this.meta = meta;
  }
}

// ---------------------------------------------------------------------------------------------
// Datasource URLs

export function providerOfUrl(url) {
  if (typeof url !== "string" || url === "") {
    throw new KnownError("P1012", "The datasource URL is empty. Set `datasource.url` in prisma.config.ts.");
  }
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgres";
  throw new KnownError(
    "P1013",
    `The provided database string is invalid. This offline schema engine supports \`file:\` (SQLite) and \`postgresql://\` URLs, got \`${url.split(":")[0]}:\`.`,
  );
}

/** `file:./data/x.db?foo=1` -> absolute path, resolved against `baseDir` (the CLI's cwd). */
export function sqlitePathOfUrl(url, baseDir = process.cwd()) {
  let p = url.replace(/^file:/, "");
  if (p.startsWith("//")) p = p.replace(/^\/\/[^/]*/, ""); // file://host/abs or file:///abs
  const q = p.indexOf("?");
  if (q >= 0) p = p.slice(0, q);
  p = decodeURIComponent(p);
  if (p === ":memory:" || p === "") return ":memory:";
  return path.resolve(baseDir, p);
}

/** GAP 6: a pg config built from parsed fields (a connectionString would override `database`). */
export function pgConfigOfUrl(url) {
  const { parse } = require("pg-connection-string");
  const parsed = parse(url);
  const u = new URL(url);
  const config = {
    host: parsed.host || "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user || undefined, // pg-connection-string has already percent-decoded these
    password: parsed.password ?? undefined,
    database: parsed.database || "postgres",
  };
  if (parsed.ssl !== undefined) config.ssl = parsed.ssl;
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode === "disable") config.ssl = false;
  else if (sslmode === "require" || sslmode === "prefer" || sslmode === "no-verify")
    config.ssl = { rejectUnauthorized: false };
  const timeout = u.searchParams.get("connect_timeout");
  if (timeout) config.connectionTimeoutMillis = Number(timeout) * 1000;
  const schema = u.searchParams.get("schema") || "public";
  // The native engine runs `SET search_path = "<schema>"`; the wasm engine issues unqualified
  // DDL, so without this `?schema=app` would land in "public".
  const searchPath = /^[A-Za-z0-9_$]+$/.test(schema) ? schema : `"${schema.replace(/"/g, '""')}"`;
  config.options = [parsed.options, `-c search_path=${searchPath.replace(/([\\ ])/g, "\\$1")}`]
    .filter(Boolean)
    .join(" ");
  return { config, schema };
}

// ---------------------------------------------------------------------------------------------
// Wasm engine loading (Node 20 cannot `import` a .wasm file without a flag, so instantiate it
// by hand with the generated JS glue as its import object).

let wasmBindings;
async function loadWasm() {
  if (wasmBindings) return wasmBindings;
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const bg = await import(new URL("file://" + path.join(dir, "schema_engine_bg.js")).href);
  const compiled = await WebAssembly.compile(fs.readFileSync(path.join(dir, "schema_engine_bg.wasm")));
  const instance = await WebAssembly.instantiate(compiled, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  // The glue reports Rust panic messages through this global (as Prisma's CLI sets it up).
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: "",
    set_message(m) {
      this.message = `RuntimeError: ${m}`;
    },
    get() {
      return this.message;
    },
  };
  wasmBindings = bg;
  return bg;
}

// ---------------------------------------------------------------------------------------------
// Driver adapters, wrapped

const MULTI_STATEMENT = /more than one statement/i;
const MIGRATIONS_SELECT = /^\s*SELECT\b[\s\S]*\bFROM\s+[`"]?(?:[\w]+[`"]?\.[`"]?)?_prisma_migrations[`"]?/i;
const MIGRATIONS_COLUMNS = [
  "id",
  "checksum",
  "finished_at",
  "migration_name",
  "logs",
  "rolled_back_at",
  "started_at",
  "applied_steps_count",
];

const SQLITE_MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

function isTableMissing(error) {
  const cause = error?.cause;
  if (cause?.kind === "TableDoesNotExist") return true;
  return /no such table/i.test(String(cause?.originalMessage ?? error?.message ?? ""));
}

const ADAPTER_KEYS = [
  "provider",
  "adapterName",
  "options",
  "queryRaw",
  "executeRaw",
  "executeScript",
  "startTransaction",
  "getConnectionInfo",
  "dispose",
  "commit",
  "rollback",
  "createSavepoint",
  "rollbackToSavepoint",
  "releaseSavepoint",
];

/** A plain object forwarding to `inner` (methods bound: adapters use #private fields). */
function delegate(inner) {
  const out = {};
  for (const key of ADAPTER_KEYS) {
    const value = inner[key];
    if (typeof value === "function") out[key] = value.bind(inner);
    else if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Wraps a SQLite queryable (connection or transaction) with GAP 1 and GAP 2. */
function wrapSqliteQueryable(inner, state, runScript) {
  const wrapped = delegate(inner);
  wrapped.queryRaw = async (query) => {
    try {
      return await inner.queryRaw(query);
    } catch (error) {
      // GAP 1: the native engine treats "no such table: _prisma_migrations" as "migrations table
      // not initialised" (it inspects the rusqlite error, which the wasm build cannot see). Answer
      // with an empty result and remember it, so diagnoseMigrationHistory can report
      // hasMigrationsTable: false like the native engine.
      if (MIGRATIONS_SELECT.test(query.sql) && isTableMissing(error)) {
        state.migrationsTableMissing = true;
        log("debug", "_prisma_migrations does not exist yet: answering with an empty result");
        return { columnNames: MIGRATIONS_COLUMNS, columnTypes: MIGRATIONS_COLUMNS.map(() => 7), rows: [] };
      }
      // GAP 2: better-sqlite3's prepare() rejects multi-statement strings.
      if (MULTI_STATEMENT.test(String(error?.message)) && (query.args?.length ?? 0) === 0) {
        log("debug", "multi-statement queryRaw: running it as a script");
        await runScript(query.sql);
        return { columnNames: [], columnTypes: [], rows: [] };
      }
      throw error;
    }
  };
  wrapped.executeRaw = async (query) => {
    try {
      return await inner.executeRaw(query);
    } catch (error) {
      if (MULTI_STATEMENT.test(String(error?.message)) && (query.args?.length ?? 0) === 0) {
        log("debug", "multi-statement executeRaw: running it as a script");
        await runScript(query.sql);
        return 0;
      }
      throw error;
    }
  };
  return wrapped;
}

// Result codes for better-sqlite3's error names (https://sqlite.org/rescode.html), to report
// "Database error code" like the native engine.
const SQLITE_CODES = {
  SQLITE_ERROR: 1,
  SQLITE_INTERNAL: 2,
  SQLITE_PERM: 3,
  SQLITE_ABORT: 4,
  SQLITE_BUSY: 5,
  SQLITE_LOCKED: 6,
  SQLITE_NOMEM: 7,
  SQLITE_READONLY: 8,
  SQLITE_INTERRUPT: 9,
  SQLITE_IOERR: 10,
  SQLITE_CORRUPT: 11,
  SQLITE_FULL: 13,
  SQLITE_CANTOPEN: 14,
  SQLITE_SCHEMA: 17,
  SQLITE_TOOBIG: 18,
  SQLITE_CONSTRAINT: 19,
  SQLITE_MISMATCH: 20,
  SQLITE_MISUSE: 21,
  SQLITE_RANGE: 25,
  SQLITE_NOTADB: 26,
  SQLITE_CONSTRAINT_CHECK: 275,
  SQLITE_CONSTRAINT_FOREIGNKEY: 787,
  SQLITE_CONSTRAINT_NOTNULL: 1299,
  SQLITE_CONSTRAINT_PRIMARYKEY: 1555,
  SQLITE_CONSTRAINT_TRIGGER: 1811,
  SQLITE_CONSTRAINT_UNIQUE: 2067,
};

function wrapSqliteAdapter(adapter, state) {
  const runScript = (sql) => adapter.executeScript(sql);
  const wrapped = wrapSqliteQueryable(adapter, state, runScript);
  wrapped.executeScript = runScript;
  wrapped.startTransaction = async (...args) => {
    const tx = await adapter.startTransaction(...args);
    return wrapSqliteQueryable(tx, state, runScript);
  };
  return wrapped;
}

/** GAP 4: adapter-pg cannot map the `"char"` type (OID 18) used by pg_catalog: read it as text. */
let pgPatched = false;
function patchPgCharOid() {
  if (pgPatched) return;
  pgPatched = true;
  const Result = require("pg/lib/result");
  const original = Result.prototype.addFields;
  Result.prototype.addFields = function addFields(fieldDescriptions) {
    for (const field of fieldDescriptions) {
      if (field.dataTypeID === 18) field.dataTypeID = 25;
      else if (field.dataTypeID === 1002) field.dataTypeID = 1009; // "char"[] -> text[]
    }
    return original.call(this, fieldDescriptions);
  };
}

/**
 * A SqlMigrationAwareDriverAdapterFactory over the right adapter, with the gaps bridged.
 * `state` collects what the engine host needs to know (open connections, GAP 1 flag).
 */
async function createAdapterFactory(datasource, baseDir, state) {
  const provider = providerOfUrl(datasource.url);
  if (provider === "sqlite") {
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
    const file = sqlitePathOfUrl(datasource.url, baseDir);
    const options = { timestampFormat: "unixepoch-ms" }; // the native engine stores DateTime as ms
    if (datasource.shadowDatabaseUrl)
      options.shadowDatabaseUrl = sqlitePathOfUrl(datasource.shadowDatabaseUrl, baseDir);
    const inner = new PrismaBetterSqlite3({ url: file }, options);
    return {
      provider: "sqlite",
      adapterName: inner.adapterName,
      async connect() {
        const adapter = wrapSqliteAdapter(await inner.connect(), state);
        state.connections.add(adapter);
        return trackDispose(adapter, state);
      },
      async connectToShadowDb() {
        const adapter = wrapSqliteAdapter(await inner.connectToShadowDb(), state);
        state.connections.add(adapter);
        return trackDispose(adapter, state);
      },
    };
  }

  patchPgCharOid();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { config, schema } = pgConfigOfUrl(datasource.url);
  const inner = new PrismaPg(config, { schema });
  return {
    provider: "postgres",
    adapterName: inner.adapterName,
    async connect() {
      const adapter = wholePgScripts(await inner.connect());
      state.connections.add(adapter);
      return trackDispose(adapter, state);
    },
    async connectToShadowDb() {
      if (datasource.shadowDatabaseUrl) {
        const shadow = pgConfigOfUrl(datasource.shadowDatabaseUrl);
        const adapter = wholePgScripts(await new PrismaPg(shadow.config, { schema: shadow.schema }).connect());
        state.connections.add(adapter);
        return trackDispose(adapter, state);
      }
      // Like adapter-pg's connectToShadowDb, with GAP 5 (end the shadow pool before DROP
      // DATABASE, else Postgres refuses: "database is being accessed by other users") and GAP 6.
      const admin = wholePgScripts(await inner.connect());
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      state.shadowDatabases.add(database);
      const shadowAdapter = wholePgScripts(await new PrismaPg({ ...config, database }, { schema }).connect());
      const disposeShadow = shadowAdapter.dispose.bind(shadowAdapter);
      shadowAdapter.dispose = async () => {
        try {
          await disposeShadow(); // ends the shadow pool
        } finally {
          try {
            await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
            state.shadowDatabases.delete(database);
          } finally {
            await admin.dispose();
          }
        }
      };
      state.cleanups.add(async () => {
        if (!state.shadowDatabases.has(database)) return;
        try {
          await shadowAdapter.dispose();
        } catch (e) {
          log("warn", `could not drop the shadow database ${database}: ${e?.message ?? e}`);
        }
      });
      state.connections.add(shadowAdapter);
      return trackDispose(shadowAdapter, state);
    },
  };
}

/**
 * adapter-pg's executeScript splits the script on ";" and runs the pieces one by one: that breaks
 * on semicolons inside strings or function bodies, and a failing migration is left half
 * applied. The native engine sends the whole script as one simple query (one implicit
 * transaction): do the same.
 */
function wholePgScripts(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

function trackDispose(adapter, state) {
  const dispose = adapter.dispose.bind(adapter);
  let disposed = false;
  adapter.dispose = async () => {
    if (disposed) return;
    disposed = true;
    state.connections.delete(adapter);
    await dispose();
  };
  return adapter;
}

// ---------------------------------------------------------------------------------------------
// Migrations directory (read exactly like the Prisma CLI does before calling the engine)

export async function readMigrationsList(migrationsDir, shadowDbInitScript = "") {
  const fsp = fs.promises;
  const lockfile = {
    path: "migration_lock.toml",
    content: await fsp.readFile(path.join(migrationsDir, "migration_lock.toml"), "utf8").catch(() => null),
  };
  const entries = await fsp.readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await fsp
      .readFile(path.join(migrationsDir, entry.name, "migration.sql"), "utf8")
      .then((value) => ({ tag: "ok", value }))
      .catch((e) => ({ tag: "error", value: e.message }));
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir: migrationsDir, lockfile, migrationDirectories, shadowDbInitScript };
}

// ---------------------------------------------------------------------------------------------
// The engine host: one wasm engine over one datasource, re-created after a SQLite reset.

export class EngineHost {
  /**
   * @param {{ datasource: { url: string, shadowDatabaseUrl?: string }, datamodels?: [string, string][], baseDir?: string }} options
   */
  constructor({ datasource, datamodels, baseDir = process.cwd() }) {
    this.datasource = datasource;
    this.datamodels = datamodels && datamodels.length > 0 ? datamodels : undefined;
    this.baseDir = baseDir;
    this.provider = providerOfUrl(datasource.url);
    this.engine = null;
    this.state = null;
    this.diagnosed = false;
    this.lastJsError = null;
  }

  async getEngine() {
    if (this.engine) return this.engine;
    const bg = await loadWasm();
    this.state = {
      connections: new Set(),
      shadowDatabases: new Set(),
      cleanups: new Set(),
      migrationsTableMissing: false,
    };
    const raw = await createAdapterFactory(this.datasource, this.baseDir, this.state);
    const factory = this.recordJsErrors(raw);
    const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
    this.engine = await bg.SchemaEngine.new(
      { datamodels: this.datamodels },
      wasmLogCallback,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    this.diagnosed = false;
    return this.engine;
  }

  /** Keeps the last non-adapter JS error, to report it instead of an opaque "GenericJs" id. */
  recordJsErrors(factory) {
    const wrapFn =
      (fn) =>
      async (...args) => {
        try {
          return await fn(...args);
        } catch (e) {
          this.lastJsError = e;
          throw e;
        }
      };
    const wrapAdapter = (a) => {
      for (const k of ["queryRaw", "executeRaw", "executeScript", "commit", "rollback"]) {
        if (typeof a[k] === "function") a[k] = wrapFn(a[k].bind(a));
      }
      if (typeof a.startTransaction === "function") {
        const st = a.startTransaction.bind(a);
        a.startTransaction = wrapFn(async (...args) => wrapAdapter(await st(...args)));
      }
      return a;
    };
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: wrapFn(async () => wrapAdapter(await factory.connect())),
      connectToShadowDb: wrapFn(async () => wrapAdapter(await factory.connectToShadowDb())),
    };
  }

  /** Free the wasm engine and close every connection it opened. */
  async dispose() {
    const engine = this.engine;
    const state = this.state;
    this.engine = null;
    this.state = null;
    if (engine) {
      try {
        engine.free();
      } catch {
        /* already freed after a panic */
      }
    }
    if (state) {
      for (const cleanup of state.cleanups) await cleanup().catch(() => {});
      for (const c of [...state.connections]) await c.dispose().catch(() => {});
    }
  }

  /** Run one engine method; `name` is the wasm method name. */
  async call(name, params) {
    const engine = await this.getEngine();
    this.lastJsError = null;
    try {
      // Keep the call on the engine object: extracting the method loses the wasm binding.
      return await engine[name](params);
    } catch (error) {
      throw this.normalizeError(error);
    }
  }

  normalizeError(error) {
    if (error instanceof KnownError) return error;
    if (error instanceof WebAssembly.RuntimeError || error?.name === "RuntimeError") {
      const message = globalThis.PRISMA_WASM_PANIC_REGISTRY?.get?.() || String(error?.message ?? error);
      const panic = new Error(message);
      panic.isPanic = true;
      panic.backtrace = error?.stack;
      // A panicked wasm instance is unusable: start a new one next time.
      this.engine = null;
      return panic;
    }
    let message = String(error?.message ?? error);
    if (this.lastJsError && /GenericJs/.test(message)) {
      message = `${message}\n${this.lastJsError.message ?? this.lastJsError}`;
    }
    if (error?.code) return new KnownError(error.code, message, error.meta ?? {});
    const e = new Error(message);
    return e;
  }

  // ---- The JSON-RPC methods, in the native engine's names -----------------------------------

  async applyMigrations(params) {
    let result;
    lastApplyingMigration = null;
    try {
      result = await this.call("applyMigrations", params);
    } catch (error) {
      throw this.asApplyMigrationError(error);
    }
    if (result?.appliedMigrationNames?.length) this.diagnosed = false;
    return result;
  }

  /**
   * The native engine runs a migration script in one batch and reports any failure as P3018
   * (migration name, database error code and message). The wasm engine runs the statements one
   * by one through the adapter and reports the adapter's error as is (e.g. P1014 for a missing
   * table): rebuild the native error.
   */
  asApplyMigrationError(error) {
    if (!(error instanceof KnownError) && !(error instanceof Error)) return error;
    if (String(error.code ?? "").startsWith("P3") || error.isPanic) return error;
    const message = String(error.message);
    const name = lastApplyingMigration;
    if (!name) return error;
    const cause = this.lastJsError?.cause;
    let code = cause?.originalCode ?? cause?.code ?? "";
    let dbMessage = cause?.originalMessage ?? message.split("\n")[0];
    if (this.provider === "sqlite")
      code = String(SQLITE_CODES[code] ?? SQLITE_CODES[String(code).split("_").slice(0, 2).join("_")] ?? 1);
    else if (cause?.originalMessage) dbMessage = `ERROR: ${cause.originalMessage}`;
    return new KnownError(
      "P3018",
      `A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: ${name}\n\nDatabase error code: ${code}\n\nDatabase error:\n${dbMessage}\n`,
      { migration_name: name, database_error_code: code, database_error: dbMessage },
    );
  }

  async devDiagnostic(params) {
    const result = await this.call("devDiagnostic", params);
    this.diagnosed = true;
    return result;
  }

  /**
   * GAP 7: on SQLite the wasm engine has no shadow database of its own for createMigration and
   * evaluateDataLoss ("SQLite shadow DB must be provided through an external factory"). They
   * work when devDiagnostic ran after the last change to the database (it computes the schema
   * of the migration history through the adapter's shadow database), so run it when needed.
   */
  async ensureDiagnosed(params) {
    if (this.diagnosed) return;
    log("debug", "running devDiagnostic first (GAP 7)");
    await this.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters ?? emptyFilter() });
  }

  async createMigration(params) {
    await this.ensureDiagnosed(params);
    return this.call("createMigration", params);
  }

  async evaluateDataLoss(params) {
    await this.ensureDiagnosed(params);
    return this.call("evaluateDataLoss", params);
  }

  async diagnoseMigrationHistory(params) {
    const result = await this.call("diagnoseMigrationHistory", params);
    // GAP 1, continued: report the missing table as the native engine does.
    if (this.state?.migrationsTableMissing) {
      result.hasMigrationsTable = false;
      this.state.migrationsTableMissing = false;
    }
    return result;
  }

  async reset(params) {
    if (this.provider === "sqlite") {
      // GAP 3: the native engine truncates the SQLite file; the wasm engine can only empty the
      // tables it knows. Close everything, truncate the file, drop WAL/journal files, reconnect.
      const file = sqlitePathOfUrl(this.datasource.url, this.baseDir);
      await this.dispose(); // the next call starts a new engine (diagnosed = false)
      if (file !== ":memory:") {
        if (fs.existsSync(file)) fs.truncateSync(file, 0);
        for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
      }
      log("info", `Reset the SQLite database at ${file}`);
      return {};
    }
    this.diagnosed = false;
    await this.call("reset", params ?? { filter: emptyFilter() });
    return {};
  }

  async schemaPush(params) {
    this.diagnosed = false;
    return this.call("schemaPush", params);
  }

  async markMigrationApplied(params) {
    this.diagnosed = false;
    if (this.provider === "sqlite") await this.ensureSqliteMigrationsTable();
    return this.call("markMigrationApplied", params);
  }

  /**
   * GAP 1, continued: the native markMigrationApplied creates the migrations table when listing
   * it fails ("baseline" of a database made with db push or by hand). With the empty answer of
   * GAP 1 the wasm engine believes the table exists and its INSERT fails, so create the table
   * first, with the engine's own DDL (sql-schema-connector, SQLite flavour).
   */
  async ensureSqliteMigrationsTable() {
    const file = sqlitePathOfUrl(this.datasource.url, this.baseDir);
    if (file === ":memory:" || !fs.existsSync(file)) return;
    await this.dispose(); // release the engine's EXCLUSIVE lock, if it holds one
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(file);
    try {
      const exists = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
        .get();
      if (!exists) db.exec(SQLITE_MIGRATIONS_TABLE_DDL);
    } finally {
      db.close();
    }
  }

  async markMigrationRolledBack(params) {
    this.diagnosed = false;
    return this.call("markMigrationRolledBack", params);
  }

  /** The native engine prints the diff through the JSON-RPC `print` callback; see schema-engine.mjs. */
  async diff(params) {
    return this.call("diff", params);
  }

  async introspect(params) {
    return this.call("introspect", params);
  }

  async introspectSql(params) {
    return this.call("introspectSql", params);
  }

  async ensureConnectionValidity(params) {
    const url = params?.datasource?.url;
    if (url) await canConnect({ url }, this.baseDir);
    return {};
  }

  async getDatabaseVersion(params) {
    return this.call("version", params ?? undefined);
  }

  async dbExecute(params) {
    // The wasm engine only knows its own adapter; run the script ourselves over a fresh one.
    this.diagnosed = false;
    const url = params?.datasourceType?.url ?? this.datasource.url;
    const state = { connections: new Set(), shadowDatabases: new Set(), cleanups: new Set() };
    const factory = await createAdapterFactory({ url }, this.baseDir, state);
    const adapter = await factory.connect();
    try {
      await adapter.executeScript(params.script);
    } catch (e) {
      throw new Error(String(e?.cause?.originalMessage ?? e?.message ?? e));
    } finally {
      await adapter.dispose();
    }
    return {};
  }

  async createDatabase(params) {
    const url = params?.datasource?.url ?? this.datasource.url;
    return { databaseName: await createDatabase({ url }, this.baseDir) };
  }

  async dropDatabase(params) {
    await dropDatabase({ url: typeof params === "string" ? params : this.datasource.url }, this.baseDir);
    return {};
  }

  async debugPanic() {
    return this.call("debugPanic");
  }
}

export function emptyFilter() {
  return { externalTables: [], externalEnums: [] };
}

// ---------------------------------------------------------------------------------------------
// Database-level commands (`schema-engine cli ...`), done directly over the drivers.

function pgLocation(config) {
  return `${config.host}:${config.port}`;
}

function pgKnownError(error, config) {
  const code = error?.code;
  const location = pgLocation(config);
  if (code === "3D000") {
    return new KnownError(
      "P1003",
      `Database \`${config.database}\` does not exist on the database server at \`${location}\`.`,
    );
  }
  if (code === "28P01" || code === "28000") {
    return new KnownError(
      "P1000",
      `Authentication failed against database server, the provided database credentials for \`${config.user ?? ""}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${location}\`.`,
    );
  }
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET"].includes(code)) {
    return new KnownError(
      "P1001",
      `Can't reach database server at \`${location}\`\n\nPlease make sure your database server is running at \`${location}\`.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

async function withPgClient(config, fn) {
  const { default: pg } = await import("pg");
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (e) {
    throw pgKnownError(e, config);
  }
  try {
    return await fn(client);
  } catch (e) {
    throw pgKnownError(e, config);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Connect to an administrative database ("postgres", then "template1") of the same server. */
async function withPgAdminClient(config, fn) {
  try {
    return await withPgClient({ ...config, database: "postgres" }, fn);
  } catch (e) {
    if (e instanceof KnownError && e.code === "P1003") return withPgClient({ ...config, database: "template1" }, fn);
    throw e;
  }
}

function quoteIdent(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

export async function canConnect(datasource, baseDir = process.cwd()) {
  const provider = providerOfUrl(datasource.url);
  if (provider === "sqlite") {
    const file = sqlitePathOfUrl(datasource.url, baseDir);
    if (file !== ":memory:" && !fs.existsSync(file)) {
      throw new KnownError("P1003", `Database \`${path.basename(file)}\` does not exist at \`${file}\`.`, {
        database_file_name: path.basename(file),
        database_file_path: file,
      });
    }
    return;
  }
  const { config } = pgConfigOfUrl(datasource.url);
  await withPgClient(config, (client) => client.query("SELECT 1"));
}

export async function createDatabase(datasource, baseDir = process.cwd()) {
  const provider = providerOfUrl(datasource.url);
  if (provider === "sqlite") {
    const file = sqlitePathOfUrl(datasource.url, baseDir);
    if (file !== ":memory:") {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const { default: Database } = await import("better-sqlite3");
      new Database(file).close();
    }
    return path.basename(file);
  }
  const { config, schema } = pgConfigOfUrl(datasource.url);
  try {
    await withPgAdminClient(config, (client) => client.query(`CREATE DATABASE ${quoteIdent(config.database)}`));
  } catch (e) {
    if (e?.code === "42P04") {
      throw new KnownError(
        "P1009",
        `Database \`${config.database}\` already exists on the database server at \`${pgLocation(config)}\``,
      );
    }
    throw e;
  }
  if (schema !== "public") {
    await withPgClient(config, (client) => client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`));
  }
  return config.database;
}

export async function dropDatabase(datasource, baseDir = process.cwd()) {
  const provider = providerOfUrl(datasource.url);
  if (provider === "sqlite") {
    const file = sqlitePathOfUrl(datasource.url, baseDir);
    if (file !== ":memory:") {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
    }
    return;
  }
  const { config } = pgConfigOfUrl(datasource.url);
  await withPgAdminClient(config, (client) => client.query(`DROP DATABASE ${quoteIdent(config.database)}`));
}
