#!/usr/bin/env node
// Drop-in replacement for Prisma's native `schema-engine` binary, for machines that cannot
// download it. The Prisma CLI runs it when PRISMA_SCHEMA_ENGINE_BINARY points here (see
// prisma.config.ts). It speaks the native interface:
//
//   schema-engine --version
//   schema-engine --datasource '{"url":"..."}' cli can-connect-to-database|create-database|drop-database
//   schema-engine [--datamodels <file>]... [--datasource <json>]   (JSON-RPC 2.0 over stdin/stdout)
//
// and does the work with @prisma/schema-engine-wasm over driver adapters (core.mjs).
// Logs go to stderr as JSON lines; stdout carries only JSON-RPC responses.

import fs from "node:fs";
import readline from "node:readline";
import { EngineHost, KnownError, canConnect, createDatabase, dropDatabase, engineCommitHash, log } from "./core.mjs";

const USAGE = `schema-engine-cli (offline: @prisma/schema-engine-wasm over driver adapters)
When no subcommand is specified, the schema engine starts as a JSON-RPC server over stdio.

USAGE:
    schema-engine [OPTIONS] [SUBCOMMAND]

OPTIONS:
    -d, --datamodels <FILE>...           Paths to the Prisma schema files
        --datasource <JSON>              {"url": "...", "shadowDatabaseUrl": "..."}
        --enabled-preview-features <CSV> (accepted, ignored)
        --extension-types <JSON>         (accepted, ignored)
    -h, --help                           Prints help information
    -V, --version                        Prints version information

SUBCOMMANDS:
    cli can-connect-to-database | create-database | drop-database
`;

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, cli: undefined };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    if (eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (arg) {
      case "-V":
      case "--version":
        out.version = true;
        break;
      case "-h":
      case "--help":
        out.help = true;
        break;
      case "-d":
      case "--datamodel":
      case "--datamodels":
        out.datamodels.push(value());
        break;
      case "--datasource":
        out.datasource = JSON.parse(value());
        break;
      case "--enabled-preview-features":
      case "--extension-types":
        value();
        break;
      case "cli":
        out.cli = argv[++i];
        break;
      default:
        log("warn", `ignoring unknown argument ${arg}`);
    }
  }
  return out;
}

/** `cli` subcommand: log like the native engine and exit 0/1 (the CLI parses stderr). */
async function runCliCommand(command, datasource) {
  const hash = engineCommitHash();
  log("info", "Starting schema engine CLI", { git_hash: hash }, "schema_engine_cli");
  try {
    if (!datasource?.url) throw new KnownError("P1012", "The datasource URL is missing (pass --datasource).");
    let message;
    switch (command) {
      case "can-connect-to-database":
        await canConnect(datasource);
        message = "Connection successful";
        break;
      case "create-database": {
        const name = await createDatabase(datasource);
        message = `Database '${name}' was successfully created.`;
        break;
      }
      case "drop-database":
        await dropDatabase(datasource);
        message = "The database was successfully dropped.";
        break;
      default:
        throw new Error(`Unknown cli subcommand: ${command}`);
    }
    log("info", message, {}, "schema_engine_cli");
    process.exitCode = 0;
  } catch (error) {
    // Same shape as the native log_error_and_exit(): the CLI looks for this exact target.
    log(
      "error",
      String(error?.message ?? error),
      { is_panic: false, error_code: error instanceof KnownError ? error.code : "" },
      "schema_engine::logger",
    );
    process.exitCode = 1;
  }
}

/** Native JSON-RPC method name -> EngineHost method. */
const METHODS = {
  applyMigrations: "applyMigrations",
  createDatabase: "createDatabase",
  createMigration: "createMigration",
  dbExecute: "dbExecute",
  debugPanic: "debugPanic",
  devDiagnostic: "devDiagnostic",
  diagnoseMigrationHistory: "diagnoseMigrationHistory",
  diff: "diff",
  dropDatabase: "dropDatabase",
  ensureConnectionValidity: "ensureConnectionValidity",
  evaluateDataLoss: "evaluateDataLoss",
  getDatabaseVersion: "getDatabaseVersion",
  introspect: "introspect",
  introspectSql: "introspectSql",
  markMigrationApplied: "markMigrationApplied",
  markMigrationRolledBack: "markMigrationRolledBack",
  reset: "reset",
  schemaPush: "schemaPush",
};

function rpcError(id, error) {
  if (error?.isPanic) {
    return {
      jsonrpc: "2.0",
      id,
      error: {
        code: 4466,
        message: "An error happened. Check the data field for details.",
        data: { is_panic: true, message: error.message, backtrace: error.backtrace ?? null },
      },
    };
  }
  const data = { is_panic: false, message: String(error?.message ?? error), backtrace: null };
  if (error instanceof KnownError) {
    data.error_code = error.code;
    data.meta = error.meta ?? {};
  }
  return {
    jsonrpc: "2.0",
    id,
    error: { code: 4466, message: "An error happened. Check the data field for details.", data },
  };
}

function send(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

async function runRpcServer(args) {
  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(file, "utf8")]);
  log("info", "Starting schema engine RPC server", { git_hash: engineCommitHash() }, "schema_engine_cli");
  if (!args.datasource?.url) {
    log(
      "error",
      "The datasource URL is missing (pass --datasource).",
      { is_panic: false, error_code: "P1012" },
      "schema_engine::logger",
    );
    process.exit(1);
  }
  const host = new EngineHost({ datasource: args.datasource, datamodels, baseDir: process.cwd() });

  let queue = Promise.resolve();
  let printId = 1;
  const handle = async (line) => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    const { id, method, params } = request;
    // Responses to our own requests (we send none) and notifications need no answer.
    if (method === undefined) return;
    const target = METHODS[method];
    if (!target) {
      if (id !== undefined)
        send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } });
      return;
    }
    const started = performance.now();
    try {
      let result = await host[target](params ?? undefined);
      if (method === "diff" && result && typeof result.stdout === "string") {
        // The native engine returns stdout: null and prints the diff through a `print` request
        // to the CLI (which writes it to its stdout and answers; the answer is ignored below).
        const { stdout, ...rest } = result;
        if (stdout.length > 0) {
          send({
            jsonrpc: "2.0",
            id: `print-${printId++}`,
            method: "print",
            params: { content: stdout.replace(/\n$/, "") },
          });
        }
        result = { ...rest, stdout: null };
      }
      log("debug", `${method} done in ${Math.round(performance.now() - started)} ms`);
      if (id !== undefined) send({ jsonrpc: "2.0", id, result: result ?? {} });
    } catch (error) {
      log("info", `${method} failed: ${error?.message ?? error}`);
      if (id !== undefined) send(rpcError(id, error));
    }
  };

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (line.trim() === "") return;
    queue = queue.then(() => handle(line));
  });
  rl.on("close", () => {
    queue
      .then(() => host.dispose())
      .catch((e) => log("warn", `error while shutting down: ${e?.message ?? e}`))
      .finally(() => process.exit(0));
  });
  // The CLI sends SIGTERM right after closing stdin: finish the cleanup first.
  process.on("SIGTERM", () => {
    queue.then(() => host.dispose()).finally(() => process.exit(0));
  });
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${engineCommitHash()}\n`);
    return;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.cli) {
    await runCliCommand(args.cli, args.datasource);
    return;
  }
  await runRpcServer(args);
}

main().catch((error) => {
  log("error", String(error?.stack ?? error), { is_panic: true }, "schema_engine::logger");
  process.exit(101);
});
