import "server-only";
import fs from "node:fs";
import { withStartupLock } from "@/lib/db/database";
import { env } from "@/lib/env";
import { componentLogger } from "@/lib/observability/logger.mjs";
import { importConfigDocument } from "./apply";
import { changeLines, summaryOf } from "./plan";

/**
 * Provisioning at start (as Grafana provisions data sources): PORTAL_PROVISION_FILE names a
 * configuration document that every start imports before requests are served. The import is
 * idempotent, so instances starting together, or a restart, change nothing the first did. A file
 * that cannot be read or imported stops the start with its problem.
 */
const log = componentLogger("provisioning");

export class ProvisioningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProvisioningError";
  }
}

export async function provisionAtStart(file = env().provisionFile): Promise<void> {
  if (!file) return;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ProvisioningError(
      `PORTAL_PROVISION_FILE ${file} cannot be read (${reason}): fix the path or its permissions`,
    );
  }
  const outcome = await importConfigDocument(text, { actor: "provisioning", source: file, dryRun: false });
  if (!outcome.ok) throw new ProvisioningError(`PORTAL_PROVISION_FILE ${file}: ${outcome.error}`);
  if (!outcome.applied) {
    log.info({ file }, "the portal already matches the provisioning file: nothing to change");
    return;
  }
  log.info(
    { file, changes: changeLines(outcome.plan, "applied") },
    `provisioned: ${summaryOf(outcome.plan, "applied")}`,
  );
}

/**
 * The server's start (instrumentation.ts): provisions under the start-up lock, so instances
 * starting together import one after the other (the later ones find nothing to change). Next.js
 * serves no request before this has run; a file that cannot be imported stops the server with
 * its problem in one line, as a misconfigured start should.
 */
export async function provisionAtServerStart(): Promise<void> {
  try {
    await withStartupLock(() => provisionAtStart());
  } catch (error) {
    if (!(error instanceof ProvisioningError)) throw error;
    log.error(`[portal] ${error.message}`);
    process.exit(1);
  }
}
