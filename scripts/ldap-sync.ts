/**
 * `npm run ldap:sync -- --config NAME [--dry-run] [--json]`
 * Runs one directory sync of an LDAP configuration on the portal's database (the DATABASE_URL
 * and DATA_DIR `npm start` uses) and prints what it checked and changed (or, with --dry-run,
 * would change). Exit codes: 0 applied, previewed or nothing to do; 1 held or failed; 2 bad usage.
 */
import os from "node:os";
import { commandLine, usageError, type Usage } from "./command-line";

const USAGE = "usage: npm run ldap:sync -- --config NAME [--dry-run] [--json]";

const usage: Usage = usageError("ldap:sync", USAGE);

async function main() {
  const { values } = commandLine("ldap:sync", USAGE, {
    config: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  });
  if (!values.config) usage("--config is required");
  const { findLdapConfigByName } = await import("../lib/db/ldap-configs");
  const config = await findLdapConfigByName(values.config);
  if (!config) usage(`no LDAP configuration is named "${values.config}"`);
  const { syncConfiguration } = await import("../lib/directory-sync/run");
  const { describeChange } = await import("../lib/directory-sync/describe");
  const { groupNames } = await import("../lib/db/directory-sync");
  const result = await syncConfiguration(config.id, {
    trigger: "cli",
    dryRun: values["dry-run"],
    actor: `cli:${os.userInfo().username}`,
  });
  const { closeAllPools } = await import("../lib/ldap/index");
  await closeAllPools();
  const plan = result.plan;
  const names = await groupNames();
  if (values.json) {
    console.log(
      JSON.stringify({
        configuration: config.name,
        outcome: result.outcome,
        reason: result.reason ?? null,
        usersChecked: plan?.usersChecked ?? 0,
        disabled: plan?.disabled ?? 0,
        reenabled: plan?.reenabled ?? 0,
        membershipChanges: plan?.membershipChanges ?? 0,
        changes: (plan?.changes ?? []).map((change) => ({ ...change, text: describeChange(change, names) })),
      }),
    );
  } else {
    const verb = result.outcome === "preview" ? "would" : "did";
    console.log(`Directory sync of "${config.name}": ${result.outcome}${result.reason ? ` — ${result.reason}` : ""}`);
    if (plan) {
      console.log(
        `Checked ${plan.usersChecked} users: ${plan.disabled} disabled, ${plan.reenabled} re-enabled, ${plan.membershipChanges} membership changes (${verb === "would" || result.outcome === "held" ? "not applied" : "applied"})`,
      );
      for (const change of plan.changes) console.log(`  ${change.username}: ${describeChange(change, names)}`);
    }
  }
  process.exit(result.outcome === "applied" || result.outcome === "preview" ? 0 : 1);
}

void main();
