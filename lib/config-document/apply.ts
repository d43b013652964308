import "server-only";
/**
 * An import of a configuration document, for the admin page, `npm run config:import` and
 * provisioning at start: parse, plan against the portal as it is, then (unless a dry run, or
 * nothing changes) write everything in one transaction, audited.
 */
import { withStoredSecret } from "@/lib/configurations/service";
import { recordAudit } from "@/lib/db/audit";
import { applyConfigDocumentWrites, readConfigDocumentState, storedServicePasswords } from "@/lib/db/config-document";
import { isUniqueViolation } from "@/lib/db/group-admin";
import { engineConfigFor } from "@/lib/db/ldap-configs";
import { forgetConfiguration, pemProblem, type LdapConfig } from "@/lib/ldap";
import { changeLines, describePlan, hasChanges, planImport, type ImportPlan } from "./plan";
import { parseConfigDocument, type ConfigDocument } from "./schema";

export interface ImportOptions {
  /** Who imports, for the audit log: the administrator, "provisioning" or "cli:<account>". */
  actor: string;
  /** What was imported (a file name, "upload"), for the audit log. */
  source: string;
  /** Plan only: nothing is written. */
  dryRun: boolean;
  /** Where the passwords the document names are read from (default: this process's environment). */
  env?: Readonly<Record<string, string | undefined>>;
}

export type ImportOutcome =
  { ok: true; applied: boolean; plan: ImportPlan; lines: string[] } | { ok: false; error: string };

/** Attempts when a concurrent write took a name or priority between the plan and its writes. */
const ATTEMPTS = 3;

async function planAgainstDatabase(document: ConfigDocument, env: ImportOptions["env"]) {
  const state = await readConfigDocumentState();
  const named = new Set(
    document.configs.filter((entry) => entry.serviceAccountPasswordEnv).map((entry) => entry.name.toLowerCase()),
  );
  const storedPasswords = await storedServicePasswords(
    state.configs.filter((config) => named.has(config.values.name.toLowerCase())).map((config) => config.id),
  );
  return planImport(document, { state, env: env ?? process.env, storedPasswords, pemProblem });
}

/** The engine configurations an import replaces, so their pools and caches can be dropped after it. */
async function replacedEngineConfigs(plan: ImportPlan): Promise<LdapConfig[]> {
  const ids = plan.writes.configs.flatMap((config) => (config.id ? [config.id] : []));
  const loaded = await Promise.all(ids.map((id) => withStoredSecret(() => engineConfigFor(id))));
  return loaded.flatMap((result) => (result.ok && result.value ? [result.value] : []));
}

/** Imports the document's text; the first problem is named by its path and nothing is written. */
export async function importConfigDocument(text: string, options: ImportOptions): Promise<ImportOutcome> {
  const parsed = parseConfigDocument(text);
  if (!parsed.ok) return parsed;
  for (let attempt = 1; ; attempt += 1) {
    const planned = await planAgainstDatabase(parsed.document, options.env);
    if (!planned.ok) return planned;
    const { plan } = planned;
    if (options.dryRun || !hasChanges(plan)) {
      return { ok: true, applied: false, plan, lines: describePlan(plan, options.dryRun ? "preview" : "applied") };
    }
    const replaced = await replacedEngineConfigs(plan);
    try {
      await applyConfigDocumentWrites(plan.writes);
    } catch (error) {
      // Another instance or administrator wrote one of these names or priorities meanwhile: the
      // next plan sees what it wrote (usually nothing is left to change).
      if (isUniqueViolation(error) && attempt < ATTEMPTS) continue;
      throw error;
    }
    const lines = describePlan(plan, "applied");
    const count = (action: string) => plan.changes.filter((change) => change.action === action).length;
    await recordAudit({
      actor: options.actor,
      action: "config.import",
      target: options.source,
      outcome: "success",
      details: {
        created: count("create"),
        updated: count("update"),
        unchanged: count("unchanged"),
        changes: changeLines(plan, "applied"),
      },
    });
    // The engine drops what it compiled for the replaced settings, as when a form is saved.
    await Promise.all(replaced.map((config) => forgetConfiguration(config)));
    return { ok: true, applied: true, plan, lines };
  }
}
