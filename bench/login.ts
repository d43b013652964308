// npm run bench:login — full HTTP sign-ins through running portals (the login page's one request:
// NextAuth's credentials callback with the token the page brought; routing, LDAP, group sync,
// audit, JWT) against OpenLDAP, next to the framework floor and the engine's authenticate() alone,
// in the same run: SQLite with one instance, PostgreSQL with one and with two instances. Start the
// directories and the test PostgreSQL first (e2e/directories/start-all.sh, e2e/postgres/start.sh)
// and build once (npm run build). See bench/README.md.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { caCertificate, directoryEnv } from "../e2e/directories/env";
import { httpLogin, openLoginPage } from "../e2e/support/http-login";
import {
  createPostgresDatabase,
  sharedSecrets,
  startPortal,
  type PortalInstance,
} from "../e2e/support/portal-instances";
import { runCell, warmUp, type CellResult, type Outcome } from "./cell";
import { describeStatements, installStatementLog } from "../lib/db/statement-log";
import type { LdapConfigData } from "../lib/db/ldap-configs";

const LOGINS = Number(process.env.BENCH_LOGINS ?? 400);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = [1, 8, 32];
const USERS = ["test_user_1", "test_user_2"];
/** BENCH_SQL_ONLY=1: no portal, no timing: count the statements of one sign-in and stop. */
const SQL_ONLY = process.env.BENCH_SQL_ONLY === "1";

const ldap = directoryEnv("openldap");
const password = (n: number) => ldap.users[USERS[n % USERS.length]!]!.password;
const login = (n: number) => `${USERS[n % USERS.length]}@kasm.core`;

/** The configuration every portal of the run signs in with. */
const CONFIG: LdapConfigData = {
  name: "Bench OpenLDAP",
  url: ldap.urls.ldap,
  startTls: true,
  caCertificate: caCertificate(ldap),
  searchBase: ldap.baseDn,
  searchFilter: "&(objectClass=inetOrgPerson)(uid={0})",
  groupMembershipFilter: "&(objectClass=groupOfNames)(member={0})",
  serviceAccountDn: ldap.serviceAccount.dn,
  requiredGroupDn: ldap.groups.all_kasm_app_users!,
};

/** Every benchmark sign-in comes from one address and repeats two users: no brake here. */
const NO_BRAKE = { LOGIN_THROTTLE_USER_LIMIT: "1000000", LOGIN_THROTTLE_ADDRESS_LIMIT: "1000000" };

/**
 * The SQL statements of one sign-in of a returning LDAP user whose groups did not change, run in
 * this process (signInWithPassword, as NextAuth's authorize calls it) on a SQLite database of its own.
 */
async function countSignInStatements(): Promise<string[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-sql-"));
  const databaseUrl = `file:${dataDir}/portal.db`;
  Object.assign(process.env, { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, ...NO_BRAKE });
  try {
    const { migrateDeploy } = await import("../lib/db/migrate/index.mjs");
    await migrateDeploy({ databaseUrl });
    // Before anything calls db(): this process's client reports its statements.
    const log = installStatementLog(databaseUrl);
    await (await import("../lib/db/groups")).ensureSystemGroups();
    await (await import("../lib/db/ldap-configs")).createLdapConfig(CONFIG, ldap.serviceAccount.password);
    const { signInWithPassword } = await import("../lib/auth/login");
    const attempt = { username: login(0), password: password(0), clientAddress: "127.0.0.1" };
    // The first sign-in creates the user and its memberships; the second is the one measured.
    const first = await signInWithPassword(attempt);
    if (!first.ok) throw new Error(`the counted sign-in failed: ${first.message}`);
    const { value, statements } = await log.during(() => signInWithPassword(attempt));
    if (!value.ok) throw new Error(`the counted sign-in failed: ${value.message}`);
    return statements;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A deployment under test: its instances, behind a round-robin "load balancer" (this client). */
interface Deployment {
  label: string;
  instances: PortalInstance[];
  close(): Promise<void>;
}

/** Stores the configuration in the deployment's database, as an administrator would. */
function storeConfiguration(settings: Record<string, string>) {
  const seed = `
    const { createLdapConfig } = await import("./lib/db/ldap-configs");
    await createLdapConfig(${JSON.stringify(CONFIG)}, process.env.BENCH_BIND_PASSWORD);
    process.exit(0);`;
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "--input-type=module", "-e", seed],
    {
      env: { ...process.env, ...settings, BENCH_BIND_PASSWORD: ldap.serviceAccount.password },
      encoding: "utf8",
    },
  );
  if (result.status !== 0) throw new Error(`storing the configuration failed:\n${result.stderr}`);
}

async function startDeployment(label: string, count: number, database: "sqlite" | "postgresql"): Promise<Deployment> {
  const postgres = database === "postgresql" ? await createPostgresDatabase() : undefined;
  const settings: Record<string, string> = {
    ...sharedSecrets(),
    ...NO_BRAKE,
    ADMIN_PASSWORD: "Bench-Admin-Password-1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const instances: PortalInstance[] = [];
  try {
    // SQLite: the first instance's data directory holds the database (one instance only).
    for (let i = 0; i < count; i++) {
      const instance = await startPortal(
        `bench-${i}`,
        postgres ? { ...settings, DATABASE_URL: postgres.url } : settings,
      );
      instances.push(instance);
      await instance.ready;
    }
    storeConfiguration({
      ...settings,
      DATA_DIR: instances[0]!.dataDir,
      DATABASE_URL: postgres?.url ?? `file:${instances[0]!.dataDir}/portal.db`,
    });
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    await postgres?.drop();
    throw error;
  }
  return {
    label,
    instances,
    async close() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await postgres?.drop();
    },
  };
}

function row(label: string, cell: CellResult, unit = "logins/s") {
  const errors = cell.errors
    ? `  errors ${cell.errors}: ${[...cell.errorKinds].map(([kind, n]) => `${kind} ×${n}`).join(", ")}`
    : "";
  return `${label.padEnd(44)} c=${String(cell.concurrency).padEnd(3)} ${cell.perSecond.toFixed(1).padStart(8)} ${unit.padEnd(10)} p50 ${cell.p50Ms.toFixed(1).padStart(7)} ms  p99 ${cell.p99Ms.toFixed(1).padStart(7)} ms  (${cell.attempts})${errors}`;
}

const limits = { logins: LOGINS, ms: SECONDS * 1000, guardMs: 30_000 };

async function measure(run: (n: number) => Promise<Outcome>, concurrency: number, warmUpMs: number) {
  await warmUp(run, concurrency, Math.max(20, 2 * concurrency), warmUpMs, 30_000);
  return runCell(run, concurrency, limits);
}

interface DeploymentResult {
  label: string;
  floor: CellResult[];
  signIns: CellResult[];
}

/** The floor and the sign-ins of one deployment at each concurrency, spread over its instances. */
async function measureDeployment(deployment: Deployment): Promise<DeploymentResult> {
  const { instances } = deployment;
  // Each instance's login page, opened once: its form signs in again and again with that token.
  const pages = await Promise.all(instances.map((instance) => openLoginPage(instance.baseURL)));
  const at = (n: number) => n % instances.length;
  const health = async (n: number): Promise<Outcome> =>
    (await fetch(`${instances[at(n)]!.baseURL}/api/health`)).ok ? { ok: true } : { ok: false, error: "health" };
  const signIn = async (n: number): Promise<Outcome> => {
    // Users alternate by n / instances, so both users reach every instance.
    const user = Math.floor(n / instances.length);
    const result = await httpLogin(instances[at(n)]!.baseURL, login(user), password(user), {}, pages[at(n)]);
    return result.ok ? { ok: true } : { ok: false, error: result.error ?? `HTTP ${result.status}` };
  };
  const result: DeploymentResult = { label: deployment.label, floor: [], signIns: [] };
  for (const concurrency of CONCURRENCY) {
    const floor = await measure(health, concurrency, 1000);
    const signIns = await measure(signIn, concurrency, 4000);
    result.floor.push(floor);
    result.signIns.push(signIns);
    console.log(row(`${deployment.label}: GET /api/health (floor)`, floor, "requests/s"));
    console.log(row(`${deployment.label}: sign-in`, signIns));
    console.log(
      `${deployment.label}: sign-in/floor c=${concurrency} ${(signIns.perSecond / floor.perSecond).toFixed(2)}\n`,
    );
  }
  return result;
}

async function main() {
  const statements = await countSignInStatements();
  console.log(
    `SQL statements per sign-in (returning LDAP user, groups unchanged): ${statements.length}\n${describeStatements(statements)}\n`,
  );
  const { authenticate, closeAllPools } = await import("../lib/ldap/index");
  if (SQL_ONLY) {
    await closeAllPools();
    return;
  }
  console.log(
    `bench:login — OpenLDAP ${ldap.urls.ldap} (StartTLS, groupOfNames + nested expansion, Required Group). ` +
      `${os.cpus().length} cores. ${LOGINS} sign-ins or ${SECONDS} s per cell.\n`,
  );
  const { LDAP_CONFIG_DEFAULTS, toLdapConfig } = await import("../lib/ldap/config");
  const engineConfig = toLdapConfig({
    ...LDAP_CONFIG_DEFAULTS,
    ...CONFIG,
    serviceAccountPassword: ldap.serviceAccount.password,
  });
  const engine = async (n: number): Promise<Outcome> => {
    const result = await authenticate(engineConfig, login(n), password(n));
    return result.ok ? { ok: true } : { ok: false, error: result.error.code };
  };
  const engineCells: CellResult[] = [];
  for (const concurrency of CONCURRENCY) {
    engineCells.push(await measure(engine, concurrency, 2000));
    console.log(row("engine authenticate()", engineCells[engineCells.length - 1]!));
  }
  console.log();

  const plans = [
    { label: "SQLite, one instance", count: 1, database: "sqlite" as const },
    { label: "PostgreSQL, one instance", count: 1, database: "postgresql" as const },
    { label: "PostgreSQL, two instances", count: 2, database: "postgresql" as const },
  ];
  const results: DeploymentResult[] = [];
  for (const plan of plans) {
    const deployment = await startDeployment(plan.label, plan.count, plan.database);
    try {
      results.push(await measureDeployment(deployment));
    } finally {
      await deployment.close();
    }
  }

  console.log("| deployment | c | floor req/s | engine/s | sign-ins/s | sign-in/floor | failed |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const result of results)
    CONCURRENCY.forEach((concurrency, index) => {
      const [floor, signIns, engineCell] = [result.floor[index]!, result.signIns[index]!, engineCells[index]!];
      console.log(
        `| ${result.label} | ${concurrency} | ${floor.perSecond.toFixed(0)} | ${engineCell.perSecond.toFixed(0)} | ` +
          `${signIns.perSecond.toFixed(1)} | ${(signIns.perSecond / floor.perSecond).toFixed(2)} | ${signIns.errors} |`,
      );
    });
  // The target's lines: SQLite, one instance.
  const sqlite = results[0]!;
  console.log();
  CONCURRENCY.forEach((concurrency, index) =>
    console.log(
      `sign-in/floor c=${concurrency} ${(sqlite.signIns[index]!.perSecond / sqlite.floor[index]!.perSecond).toFixed(2)}`,
    ),
  );
  const failed = results.reduce((sum, result) => sum + result.signIns.reduce((n, cell) => n + cell.errors, 0), 0);
  console.log(
    `Summary: target sign-in/floor ≥ 0.33 at c=1 and c=32 (SQLite, one instance); ${failed} failed sign-ins in all; ` +
      `${statements.length} SQL statements per sign-in, the session row included (5 before sessions)`,
  );
  await closeAllPools();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:login failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
