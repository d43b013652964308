/**
 * `npm run config:import -- FILE [--dry-run]`
 * Imports a configuration document (as `npm run config:export` prints it) into the portal's
 * database (the DATABASE_URL and DATA_DIR `npm start` uses): configurations and groups matched by
 * name are updated, the others created, nothing deleted; passwords come from the environment
 * variables the document names. Everything is checked before anything is written; the first
 * problem is printed with its path (configs[1].url: …). --dry-run prints what would change.
 * Exit codes: 0 applied, previewed or nothing to do; 1 invalid or failed; 2 bad usage.
 */
import fs from "node:fs";
import os from "node:os";
import { commandLine, failureLine, usageError, type Usage } from "./command-line";

const USAGE = "usage: npm run config:import -- FILE [--dry-run]   (FILE - reads standard input)";

const usage: Usage = usageError("config:import", USAGE);

async function main() {
  const { values, positionals } = commandLine(
    "config:import",
    USAGE,
    { "dry-run": { type: "boolean", default: false } },
    { allowPositionals: true },
  );
  const [file, ...extra] = positionals;
  if (!file) usage("name the document to import");
  if (extra.length > 0) usage(`one document at a time (got ${positionals.length})`);
  let text: string;
  try {
    text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    usage(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const { importConfigDocument } = await import("../lib/config-document/apply");
    const outcome = await importConfigDocument(text, {
      actor: `cli:${os.userInfo().username}`,
      source: file === "-" ? "standard input" : file,
      dryRun: values["dry-run"],
    });
    if (!outcome.ok) {
      console.error(`config:import: ${file} was not imported, nothing was written: ${outcome.error}`);
      process.exit(1);
    }
    if (values["dry-run"]) console.log(`Dry run of ${file}: nothing is written.`);
    for (const line of outcome.lines) console.log(line);
    const { closeAllPools } = await import("../lib/ldap/index");
    await closeAllPools();
    process.exit(0);
  } catch (error) {
    console.error(`config:import: ${failureLine(error)}`);
    process.exit(1);
  }
}

void main();
