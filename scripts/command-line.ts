import { parseArgs, type ParseArgsConfig } from "node:util";
import { createLogger, setLogger } from "../lib/observability/logger.mjs";

/**
 * What the portal's command lines share: strict options, `--help` printing the usage line, bad
 * usage exiting 2 with the reason and the usage line, and log lines on standard error.
 */
export function commandLine<const T extends NonNullable<ParseArgsConfig["options"]>>(
  name: string,
  usageLine: string,
  options: T,
  { allowPositionals = false } = {},
) {
  const usage = usageError(name, usageLine);
  // A command's standard output is its answer (--json must parse): the portal's log lines go to standard error.
  setLogger(createLogger({ destination: 2 }));
  let parsed;
  try {
    parsed = parseArgs({
      options: { ...options, help: { type: "boolean", default: false } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usageLine);
    process.exit(0);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/**
 * Bad usage: the reason and the usage line, exit 2. Declare the result with its type
 * (`const usage: Usage = usageError(…)`) so a call ends TypeScript's flow like a throw.
 */
export type Usage = (message: string) => never;

export function usageError(name: string, usageLine: string): Usage {
  return (message) => {
    console.error(`${name}: ${message}\n${usageLine}`);
    process.exit(2);
  };
}

/** A failure as one line; a database `npm start` never prepared says so. */
export function failureLine(error: unknown): string {
  if ((error as { code?: unknown }).code === "P2021")
    return "the database has no portal tables yet: start the portal once (npm start) with this DATABASE_URL and DATA_DIR";
  return error instanceof Error ? error.message : String(error);
}
