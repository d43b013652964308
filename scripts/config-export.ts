/**
 * `npm run config:export [> portal.json]`
 * Prints the portal's LDAP configurations and groups as one configuration document (JSON, no
 * secret) on standard output, from the portal's database (the DATABASE_URL and DATA_DIR
 * `npm start` uses). `npm run config:import` and PORTAL_PROVISION_FILE read it back.
 * Exit codes: 0 printed; 1 failed; 2 bad usage.
 */
import os from "node:os";
import { parseArgs } from "node:util";

const USAGE = "usage: npm run -s config:export > portal.json";

function usage(message: string): never {
  console.error(`config:export: ${message}\n${USAGE}`);
  process.exit(2);
}

/** A failure as one line; a database `npm start` never prepared says so. */
function failure(error: unknown): string {
  if ((error as { code?: unknown }).code === "P2021")
    return "the database has no portal tables yet: start the portal once (npm start) with this DATABASE_URL and DATA_DIR";
  return error instanceof Error ? error.message : String(error);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({ options: { help: { type: "boolean", default: false } }, strict: true }));
  } catch (error) {
    usage((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  try {
    const { exportConfigDocument } = await import("../lib/config-document/export");
    const document = await exportConfigDocument(`cli:${os.userInfo().username}`);
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`, () => process.exit(0));
  } catch (error) {
    console.error(`config:export: ${failure(error)}`);
    process.exit(1);
  }
}

void main();
