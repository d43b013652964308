// npm run bench:login — full HTTP sign-ins through a running portal (NextAuth CSRF + credentials
// callback: routing, LDAP, group sync, audit, JWT) against OpenLDAP, next to the engine's
// authenticate() alone with the same configuration, in the same run. Prints logins/s, p50/p99
// and the ratio portal/engine. Start the directories first (e2e/directories/start-all.sh) and
// build once (npm run build); the portal is started here on a fresh database and stopped after.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { caCertificate, directoryEnv } from "../e2e/directories/env";
import { httpLogin } from "../e2e/support/http-login";
import { runCell, warmUp, type CellResult, type Outcome } from "./cell";
import { describeStatements, installStatementLog } from "../lib/db/statement-log";

const PORT = Number(process.env.BENCH_PORT ?? 3299);
const BASE = `http://127.0.0.1:${PORT}`;
const LOGINS = Number(process.env.BENCH_LOGINS ?? 400);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = [1, 8, 32];
const USERS = ["test_user_1", "test_user_2"];
/** BENCH_SQL_ONLY=1: no portal, no timing: count the statements of one sign-in and stop. */
const SQL_ONLY = process.env.BENCH_SQL_ONLY === "1";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-"));
const portalEnv = {
  ...process.env,
  HOST: "127.0.0.1",
  PORT: String(PORT),
  DATA_DIR: dataDir,
  DATABASE_URL: `file:${dataDir}/portal.db`,
  ADMIN_PASSWORD: "Bench-Admin-Password-1",
  NEXT_TELEMETRY_DISABLED: "1",
  // Every benchmark login comes from one address and repeats two users: no brake here.
  LOGIN_THROTTLE_USER_LIMIT: "1000000",
  LOGIN_THROTTLE_ADDRESS_LIMIT: "1000000",
};

async function waitForHealth(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${BASE}/api/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the portal did not answer on ${BASE} within ${timeoutMs} ms`);
}

function row(label: string, cell: CellResult) {
  const errors = cell.errors
    ? `  errors ${cell.errors}: ${[...cell.errorKinds].map(([kind, n]) => `${kind} ×${n}`).join(", ")}`
    : "";
  return `${label.padEnd(28)} c=${String(cell.concurrency).padEnd(3)} ${cell.perSecond.toFixed(1).padStart(8)} logins/s  p50 ${cell.p50Ms.toFixed(1).padStart(7)} ms  p99 ${cell.p99Ms.toFixed(1).padStart(7)} ms  (${cell.attempts} logins)${errors}`;
}

/**
 * The SQL statements of one sign-in of a returning LDAP user whose groups did not change, run in
 * this process (signInWithPassword, as NextAuth's authorize calls it) on the portal's database.
 */
async function countSignInStatements(log: ReturnType<typeof installStatementLog>, login: string, password: string) {
  const { signInWithPassword } = await import("../lib/auth/login");
  const attempt = { username: login, password, clientAddress: "127.0.0.1" };
  // The first sign-in creates the user and its memberships; the second is the one measured.
  const first = await signInWithPassword(attempt);
  if (!first.ok) throw new Error(`the counted sign-in failed: ${first.message}`);
  const { value, statements } = await log.during(() => signInWithPassword(attempt));
  if (!value.ok) throw new Error(`the counted sign-in failed: ${value.message}`);
  return statements;
}

async function main() {
  const ldap = directoryEnv("openldap");
  const portal = SQL_ONLY
    ? undefined
    : spawn(process.execPath, ["scripts/start.mjs"], { env: portalEnv, stdio: ["ignore", "ignore", "inherit"] });
  try {
    // Same database, encryption key and brake limits as the portal (same DATA_DIR).
    Object.assign(process.env, {
      DATA_DIR: dataDir,
      DATABASE_URL: portalEnv.DATABASE_URL,
      LOGIN_THROTTLE_USER_LIMIT: portalEnv.LOGIN_THROTTLE_USER_LIMIT,
      LOGIN_THROTTLE_ADDRESS_LIMIT: portalEnv.LOGIN_THROTTLE_ADDRESS_LIMIT,
    });
    if (portal) await waitForHealth(180_000);
    else {
      const { migrateDeploy } = await import("../lib/db/migrate/index.mjs");
      await migrateDeploy({ databaseUrl: portalEnv.DATABASE_URL });
    }
    // Before anything calls db(): this process's client reports its statements.
    const statementLog = installStatementLog(portalEnv.DATABASE_URL);
    if (!portal) await (await import("../lib/db/groups")).ensureSystemGroups();
    const { createLdapConfig, engineConfigFor } = await import("../lib/db/ldap-configs");
    const { authenticate, closeAllPools } = await import("../lib/ldap/index");
    const stored = await createLdapConfig(
      {
        name: "Bench OpenLDAP",
        url: ldap.urls.ldap,
        startTls: true,
        caCertificate: caCertificate(ldap),
        searchBase: ldap.baseDn,
        searchFilter: "&(objectClass=inetOrgPerson)(uid={0})",
        groupMembershipFilter: "&(objectClass=groupOfNames)(member={0})",
        serviceAccountDn: ldap.serviceAccount.dn,
        requiredGroupDn: ldap.groups.all_kasm_app_users!,
      },
      ldap.serviceAccount.password,
    );
    const config = (await engineConfigFor(stored.id))!;
    const password = (n: number) => ldap.users[USERS[n % USERS.length]!]!.password;
    const login = (n: number) => `${USERS[n % USERS.length]}@kasm.core`;

    const statements = await countSignInStatements(statementLog, login(0), password(0));
    console.log(
      `SQL statements per sign-in (returning LDAP user, groups unchanged): ${statements.length}\n${describeStatements(statements)}\n`,
    );
    if (SQL_ONLY) {
      await closeAllPools();
      return;
    }

    const engine = async (n: number): Promise<Outcome> => {
      const result = await authenticate(config, login(n), password(n));
      return result.ok ? { ok: true } : { ok: false, error: result.error.code };
    };
    const http = async (n: number): Promise<Outcome> => {
      const result = await httpLogin(BASE, login(n), password(n));
      return result.ok ? { ok: true } : { ok: false, error: result.error ?? `HTTP ${result.status}` };
    };

    console.log(
      `bench:login — OpenLDAP ${ldap.urls.ldap} (StartTLS, groupOfNames + nested expansion, Required Group), portal ${BASE} on SQLite`,
    );
    console.log(
      `slapd runs with loglevel 0 (test directory default). ${os.cpus().length} cores. ${LOGINS} logins or ${SECONDS} s per cell.\n`,
    );
    // The framework floor: one trivial request through the same server, at each concurrency.
    const health = async (): Promise<Outcome> =>
      (await fetch(`${BASE}/api/health`)).ok ? { ok: true } : { ok: false, error: "health" };
    const portalOverEngine: string[] = [];
    const signInOverFloor: string[] = [];
    let failed = 0;
    for (const concurrency of CONCURRENCY) {
      const limits = { logins: LOGINS, ms: SECONDS * 1000, guardMs: 30_000 };
      await warmUp(health, concurrency, Math.max(20, 2 * concurrency), 1000, 30_000);
      const floorCell = await runCell(health, concurrency, limits);
      await warmUp(engine, concurrency, Math.max(20, 2 * concurrency), 2000, 30_000);
      const engineCell = await runCell(engine, concurrency, limits);
      await warmUp(http, concurrency, Math.max(20, 2 * concurrency), 4000, 30_000);
      const httpCell = await runCell(http, concurrency, limits);
      failed += httpCell.errors;
      console.log(row("GET /api/health (floor)", floorCell).replace("logins/s", "requests/s"));
      console.log(row("engine authenticate()", engineCell));
      console.log(row("portal HTTP sign-in", httpCell));
      const ratio = httpCell.perSecond / engineCell.perSecond;
      const overFloor = httpCell.perSecond / floorCell.perSecond;
      portalOverEngine.push(`c=${concurrency}: ${ratio.toFixed(2)}`);
      signInOverFloor.push(`c=${concurrency}: ${overFloor.toFixed(2)}`);
      console.log(`${"ratio portal/engine".padEnd(28)} c=${String(concurrency).padEnd(3)} ${ratio.toFixed(2)}`);
      console.log(`sign-in/floor c=${concurrency} ${overFloor.toFixed(2)}\n`);
    }
    console.log(`Summary: portal/engine throughput ratio ${portalOverEngine.join(", ")} (target ≥ 0.5)`);
    console.log(
      `Summary: sign-in/floor ${signInOverFloor.join(", ")} (target ≥ 0.33 at c=1 and c=32); ${failed} failed sign-ins; ${statements.length} SQL statements per sign-in (target ≤ 5)`,
    );
    await closeAllPools();
  } finally {
    portal?.kill("SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:login failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
