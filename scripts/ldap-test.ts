/**
 * `npm run ldap:test -- --config FILE.json --user LOGIN [--password-env VAR] [--json]`
 * Runs the engine's diagnose against a configuration file and prints the trace.
 * Exit codes: 0 success, 1 failed login, 2 bad usage.
 */
import fs from "node:fs";
import { commandLine, usageError, type Usage } from "./command-line";
import { closeAllPools, diagnose, type LdapConfig, type TraceStep } from "../lib/ldap/index";
import { ldapConfigFileSchema, toLdapConfig } from "../lib/ldap/config";

const USAGE = "usage: npm run ldap:test -- --config FILE.json --user LOGIN [--password-env VAR] [--json]";

const usage: Usage = usageError("ldap:test", USAGE);

function readConfig(file: string): LdapConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    usage(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = ldapConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    usage(parsed.error.issues.map((issue) => `${issue.path.join(".") || file}: ${issue.message}`).join("; "));
  }
  return toLdapConfig(parsed.data);
}

function describe(step: TraceStep): string {
  switch (step.name) {
    case "login":
      return step.detail.login ? `${step.detail.login}` : "";
    case "connect": {
      const { url, startTls, tls } = step.detail;
      return [
        url,
        startTls ? "StartTLS" : "",
        tls ? `${tls.protocol} cert "${tls.subject}" valid to ${tls.validTo}` : "",
      ]
        .filter(Boolean)
        .join("  ");
    }
    case "service_bind":
    case "user_bind":
      return `as ${step.detail.dn ?? "?"}`;
    case "user_search": {
      const d = step.detail;
      return `base ${d.base} scope ${d.scope} filter ${d.filter} → ${d.entries ?? 0} entr${d.entries === 1 ? "y" : "ies"}${d.dn ? `: ${d.dn}` : ""}`;
    }
    case "account_state":
      return step.detail.flags.length ? `flags: ${step.detail.flags.join(", ")}` : "no restriction recorded";
    case "groups": {
      const d = step.detail;
      return `strategy ${d.strategy}, ${d.queries} quer${d.queries === 1 ? "y" : "ies"}, ${d.direct?.length ?? 0} direct + ${d.nested?.length ?? 0} nested${d.complete === false ? ` (incomplete: ${d.incompleteReason ?? "cut short"})` : ""}`;
    }
    case "required_group":
      return `${step.detail.member ? "member of" : "NOT a member of"} ${step.detail.required}`;
    default:
      return "";
  }
}

async function main() {
  const { values } = commandLine("ldap:test", USAGE, {
    config: { type: "string" },
    user: { type: "string" },
    "password-env": { type: "string" },
    json: { type: "boolean", default: false },
  });
  if (!values.config) usage("--config is required");
  if (!values.user) usage("--user is required");
  const config = readConfig(values.config);
  let password: string | undefined;
  if (values["password-env"]) {
    password = process.env[values["password-env"]];
    if (password === undefined) usage(`environment variable ${values["password-env"]} is not set`);
  }

  const result = await diagnose(config, values.user, password);
  await closeAllPools();

  if (values.json) {
    console.log(
      JSON.stringify({
        ok: result.ok,
        error: result.error
          ? { code: result.error.code, message: result.error.message, hint: result.error.hint }
          : null,
        user: result.user
          ? { dn: result.user.dn, email: result.user.email ?? null, directoryId: result.user.directoryId ?? null }
          : null,
        groups: result.groups,
        steps: result.steps.map((step) => ({ name: step.name, ok: step.ok, ms: step.ms })),
      }),
    );
  } else {
    console.log(`LDAP test for ${values.user}${password === undefined ? " (look-up only: no password given)" : ""}\n`);
    for (const step of result.steps) {
      console.log(
        `${step.ok ? "✓" : "✗"} ${step.name.padEnd(15)} ${String(step.ms).padStart(7)} ms  ${describe(step)}`,
      );
      if (step.error) {
        console.log(
          `    ${step.error.code}: ${step.error.message}${step.error.detail ? ` (${step.error.detail})` : ""}`,
        );
        if (step.error.serverDiagnostic) console.log(`    server said: ${step.error.serverDiagnostic}`);
      }
    }
    if (result.ok) {
      console.log(
        `\nOK: ${result.user?.dn}  email ${result.user?.email ?? "—"}  id ${result.user?.directoryId ?? "—"}`,
      );
      for (const dn of result.groups)
        console.log(`  group ${dn}${result.directGroups.includes(dn) ? "" : "  (nested)"}`);
    } else if (result.error) {
      console.log(`\nFAILED: ${result.error.code}: ${result.error.message}\nHint: ${result.error.hint}`);
    }
  }
  process.exit(result.ok ? 0 : 1);
}

void main();
