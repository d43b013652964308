import "server-only";
import fs from "node:fs";
import { env } from "@/lib/env";
import { importConfigDocument } from "./apply";
import { changeLines, summaryOf } from "./plan";

/**
 * Provisioning at start (as Grafana provisions data sources): PORTAL_PROVISION_FILE names a
 * configuration document that every start imports before requests are served. The import is
 * idempotent, so instances starting together, or a restart, change nothing the first did. A file
 * that cannot be read or imported stops the start with its problem.
 */
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
    console.log(`[portal] Provisioning from ${file}: nothing to change, the portal already matches it.`);
    return;
  }
  console.log(`[portal] Provisioned from ${file}: ${summaryOf(outcome.plan, "applied")}`);
  for (const line of changeLines(outcome.plan, "applied")) console.log(`[portal]   ${line}`);
}
