/**
 * `npm run config:export [> portal.json]`
 * Prints the portal's LDAP configurations and groups as one configuration document (JSON, no
 * secret) on standard output, from the portal's database (the DATABASE_URL and DATA_DIR
 * `npm start` uses). `npm run config:import` and PORTAL_PROVISION_FILE read it back.
 * Exit codes: 0 printed; 1 failed; 2 bad usage.
 */
import os from "node:os";
import { commandLine, failureLine } from "./command-line";

const USAGE = "usage: npm run -s config:export > portal.json";

async function main() {
  commandLine("config:export", USAGE, {});
  try {
    const { exportConfigDocument } = await import("../lib/config-document/export");
    const document = await exportConfigDocument(`cli:${os.userInfo().username}`);
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`, () => process.exit(0));
  } catch (error) {
    console.error(`config:export: ${failureLine(error)}`);
    process.exit(1);
  }
}

void main();
