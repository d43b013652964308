// npm run bench:ldap — login throughput and latency against the real test directories:
// (a) lib/ldap authenticate(), (b) the minimal raw ldapts sequence, (c) ldapauth-fork, side by
// side, plus failover past a silent first URL. See bench/README.md. Start the servers first with
// e2e/directories/start-all.sh.
import os from "node:os";
import { installCounters, snapshot } from "./counters";
import {
  abandonedCount,
  abandonedSummary,
  runCell,
  settleAbandoned,
  warmUp,
  type CellLimits,
  type CellResult,
} from "./cell";
import {
  openldapDirectory,
  sambaDirectory,
  sambaLogLevel,
  slapdLogLevel,
  type BenchDirectory,
  type TlsMode,
} from "./directories";
import {
  engine,
  engineImplementation,
  engineSource,
  ldapauthImplementation,
  rawImplementations,
  type Implementation,
  type Timeouts,
} from "./implementations";
import { silentListener, type SilentListener } from "./silent-listener";
import { Drainer } from "./drain";

const installedCounters = installCounters();

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const LOGINS = numberFromEnv("BENCH_LOGINS", 20_000);
const SECONDS = numberFromEnv("BENCH_SECONDS", 3);
/** Warm-up: max(WARMUP_LOGINS, 2 × concurrency) logins or WARMUP_SECONDS, whichever first. */
const WARMUP_LOGINS = 20;
const WARMUP_SECONDS = 1.5;
/** Once per implementation before any cell (see jitWarmUp). */
const JIT_WARMUP_SECONDS = numberFromEnv("BENCH_JIT_WARMUP_SECONDS", 2);
const JIT_WARMUP_CONCURRENCY = 4;
const TLS: TlsMode = process.env.BENCH_TLS === "starttls" ? "starttls" : "ldaps";
const ONLY = process.env.BENCH_ONLY; // "openldap" | "samba" | undefined (both)
const CONCURRENCY = [1, 8, 32];
/** The same timeouts for all three implementations. */
const TIMEOUTS: Timeouts = { connectMs: 2_000, operationMs: 2_000 };
const FAILOVER_TIMEOUTS: Timeouts = { connectMs: 1_000, operationMs: 2_000 };
/** A login still running after 3 operation timeouts counts as hung (the engine's pool queue has no timeout). */
const LIMITS: CellLimits = { logins: LOGINS, ms: SECONDS * 1000, guardMs: 3 * TIMEOUTS.operationMs };
/** Longest wait for the server to work off what a cell left queued. */
const DRAIN_MAX_MS = 3_000;
/** Longest wait for logins the guard abandoned, after a warm-up or a cell. */
const SETTLE_MAX_MS = 3_000;

interface Row {
  impl: Implementation;
  cell: CellResult;
  requestsPerLogin: number;
  connections: number;
  warmupFailures: number;
  warmConcurrency: number;
  /** How long the server needed afterwards to answer a trivial request quickly again. */
  drainMs: number;
}

interface FailoverReport {
  silentUrl: string;
  first: { ms: number; ok: boolean; error?: string };
  sequential: CellResult;
  concurrent: CellResult;
  coldBurst: CellResult;
  acceptedByListener: number;
  acceptedInColdBurst: number;
}

interface DirectoryReport {
  d: BenchDirectory;
  rows: Row[];
  sanity: string[];
  failover?: FailoverReport;
  emittedByLdapauth: number;
}

const progress = (text: string) => process.stderr.write(`${text}\n`);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

async function sanityCheck(d: BenchDirectory, impls: Implementation[]): Promise<string[]> {
  const problems: string[] = [];
  for (const impl of impls) {
    for (const user of d.users) {
      const outcome = await impl
        .login(user, d.password)
        .catch((error: unknown) => ({ ok: false as const, error: String(error) }));
      if (!outcome.ok) problems.push(`${impl.id} ${user}: ${outcome.error}`);
    }
  }
  return problems;
}

/**
 * Warm-up concurrency: the cell's, unless one round of that many logins would not fit in the
 * warm-up time at this implementation's single-login latency (Samba: ≈0.3 s a login). Warming up
 * 32 at once there would only queue ~10 s of work on the server for the cell to inherit.
 */
function warmUpConcurrency(concurrency: number, singleLoginMs: number | undefined): number {
  if (!singleLoginMs || concurrency === 1) return concurrency;
  return Math.max(1, Math.min(concurrency, Math.floor((WARMUP_SECONDS * 1000) / singleLoginMs)));
}

async function measure(
  d: BenchDirectory,
  impl: Implementation,
  concurrency: number,
  drainer: Drainer,
  singleLoginMs: number | undefined,
): Promise<Row> {
  const login = (n: number) => impl.login(d.users[n % d.users.length]!, d.password);
  const warmConcurrency = warmUpConcurrency(concurrency, singleLoginMs);
  const label = `${d.label} ${impl.id} c=${concurrency}`;
  const warmupFailures = await warmUp(
    login,
    warmConcurrency,
    Math.max(WARMUP_LOGINS, concurrency * 2),
    WARMUP_SECONDS * 1000,
    LIMITS.guardMs,
    label,
  );
  await settleAbandoned(SETTLE_MAX_MS);
  await drainer.drain(50, DRAIN_MAX_MS);
  const before = snapshot();
  const cell = await runCell(login, concurrency, { ...LIMITS, label });
  const after = snapshot();
  // Logins the guard abandoned still run (the engine queues them in its pool): let them end first.
  const settleStarted = performance.now();
  await settleAbandoned(SETTLE_MAX_MS);
  const drainMs = performance.now() - settleStarted + (await drainer.drain(50, DRAIN_MAX_MS));
  const row = {
    impl,
    cell,
    requestsPerLogin: (after.requests - before.requests) / Math.max(1, cell.attempts),
    connections: after.connections - before.connections,
    warmupFailures,
    warmConcurrency,
    drainMs,
  };
  progress(
    `  ${d.label.padEnd(9)} c=${String(concurrency).padEnd(2)} ${impl.id.padEnd(2)} ${fmt(cell.perSecond)} logins/s, p50 ${fmt(cell.p50Ms, 2)} ms, p99 ${fmt(cell.p99Ms, 2)} ms, ${cell.errors} errors, ${fmt(cell.wallMs / 1000, 1)} s (+${fmt(drainMs / 1000, 1)} s drain)`,
  );
  return row;
}

/**
 * Before the first cell, every implementation runs for a while: the JIT state (ldapts is shared
 * by a and b) would otherwise favour whichever runs later.
 */
async function jitWarmUp(d: BenchDirectory, impls: Implementation[]): Promise<void> {
  for (const impl of impls) {
    const login = (n: number) => impl.login(d.users[n % d.users.length]!, d.password);
    await warmUp(
      login,
      JIT_WARMUP_CONCURRENCY,
      Number.MAX_SAFE_INTEGER,
      JIT_WARMUP_SECONDS * 1000,
      LIMITS.guardMs,
      `${d.label} ${impl.id} JIT warm-up`,
    );
    await settleAbandoned(SETTLE_MAX_MS);
  }
}

async function failover(d: BenchDirectory): Promise<FailoverReport> {
  const listeners: SilentListener[] = [];
  try {
    const listener = await silentListener();
    listeners.push(listener);
    const silentUrl = `${d.startTls ? "ldap" : "ldaps"}://127.0.0.1:${listener.port}`;
    const impl = engineImplementation(d, FAILOVER_TIMEOUTS, { url: silentUrl, failoverUrls: [d.url] });
    const login = (n: number) => impl.login(d.users[n % d.users.length]!, d.password);

    const t0 = performance.now();
    const firstOutcome = await login(0);
    const first = {
      ms: performance.now() - t0,
      ok: firstOutcome.ok,
      ...(firstOutcome.ok ? {} : { error: firstOutcome.error }),
    };
    const sequential = await runCell(login, 1, { ...LIMITS, logins: 50, ms: 1_500, label: `${d.label} failover` });
    // Concurrency 8 grows both pools to 4 connections: each new one must start at the healthy URL.
    const concurrent = await runCell(login, 8, { ...LIMITS, logins: 200, ms: 1_500, label: `${d.label} failover` });
    const acceptedByListener = listener.accepted();

    // Cold burst: 8 logins arrive together before any URL is known healthy.
    const burstListener = await silentListener();
    listeners.push(burstListener);
    const burstUrl = `${d.startTls ? "ldap" : "ldaps"}://127.0.0.1:${burstListener.port}`;
    const burst = engineImplementation(d, FAILOVER_TIMEOUTS, { url: burstUrl, failoverUrls: [d.url] });
    const coldBurst = await runCell((n) => burst.login(d.users[n % d.users.length]!, d.password), 8, {
      ...LIMITS,
      logins: 8,
      label: `${d.label} cold burst`,
    });
    return {
      silentUrl,
      first,
      sequential,
      concurrent,
      coldBurst,
      acceptedByListener,
      acceptedInColdBurst: burstListener.accepted(),
    };
  } finally {
    await Promise.all(listeners.map((l) => l.close()));
  }
}

async function benchDirectory(d: BenchDirectory): Promise<DirectoryReport> {
  progress(`${d.label}: ${d.url}${d.startTls ? " + StartTLS" : ""}`);
  const a = engineImplementation(d, TIMEOUTS);
  const { full: b, minimal: b0 } = rawImplementations(d, TIMEOUTS);
  const c = ldapauthImplementation(d, TIMEOUTS);
  // The same engine with the nesting cache off: every login expands the parents again, like b.
  const a0 = { ...engineImplementation(d, TIMEOUTS, { nestedGroupsCacheSeconds: 0 }), id: "a0" };
  const impls: Implementation[] = [a, a0, b, b0, c];
  const drainer = new Drainer(d);
  try {
    await drainer.drain();
    const sanity = await sanityCheck(d, impls);
    await jitWarmUp(d, impls);
    const rows: Row[] = [];
    for (const concurrency of CONCURRENCY) {
      for (const impl of impls) {
        const single = rows.find((row) => row.impl === impl && row.cell.concurrency === 1)?.cell.p50Ms;
        rows.push(await measure(d, impl, concurrency, drainer, single));
      }
    }
    progress(`  ${d.label}: failover past a silent first URL`);
    const failoverReport = await failover(d);
    return { d, rows, sanity, failover: failoverReport, emittedByLdapauth: c.emittedErrors() };
  } finally {
    await settleAbandoned(LIMITS.guardMs);
    await Promise.all(impls.map((impl) => impl.close()));
    await drainer.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function ratio(x: CellResult | undefined, y: CellResult | undefined): number {
  if (!x || !y) return NaN;
  if (y.perSecond === 0) return x.perSecond > 0 ? Infinity : NaN;
  return x.perSecond / y.perSecond;
}

function ratioText(value: number): string {
  if (value === Infinity) return "inf";
  return Number.isFinite(value) ? value.toFixed(2) : "-";
}

function cellOf(report: DirectoryReport, id: string, concurrency: number): CellResult | undefined {
  return report.rows.find((row) => row.impl.id === id && row.cell.concurrency === concurrency)?.cell;
}

function printDirectory(report: DirectoryReport): void {
  const { d } = report;
  const lines: string[] = [];
  lines.push("");
  lines.push(`== ${d.label}  ${d.url}${d.startTls ? " + StartTLS" : ""}  (CA ${d.env.caFile}, certificate verified)`);
  if (d.key === "openldap")
    lines.push(`   slapd olcLogLevel: ${slapdLogLevel()} (read from its cn=config; 0 = no stats logging)`);
  if (d.key === "samba")
    lines.push(
      `   Samba log level: ${sambaLogLevel()} (read from its smb.conf); e2e/directories/samba/start.sh runs it as one process (-M single)`,
    );
  lines.push(`   user filter (a): ${d.engine.searchFilter}`);
  lines.push(`   group filter (a): ${d.engine.groupMembershipFilter}   nestedGroups: ${d.engine.nestedGroups}`);
  const b1 = cellOf(report, "b", 1);
  const b01 = cellOf(report, "b0", 1);
  if (b1 && b01)
    lines.push(
      `   group queries cost ≈ ${fmt(b1.p50Ms - b01.p50Ms, 2)} ms per login here (p50 of b minus p50 of b0 at c=1)`,
    );
  if (!d.ldapauthNested)
    lines.push(
      "   note: c sends ONE group query (direct groups only; test_user_1's nested all_kasm_app_users is missing), a and b expand nesting: c does less work",
    );
  if (report.sanity.length > 0)
    lines.push(`   SANITY FAILURES (one login per user before measuring): ${report.sanity.join(" | ")}`);
  lines.push("");
  lines.push(
    "   conc impl   logins/s   p50 ms   p99 ms   max ms    ok/tried  errors  req/login  new conns  cpu ms/login  drain s",
  );
  for (const row of report.rows) {
    const { cell } = row;
    lines.push(
      `   ${String(cell.concurrency).padStart(4)} ${row.impl.id.padEnd(4)} ${fmt(cell.perSecond).padStart(10)} ${fmt(cell.p50Ms, 2).padStart(8)} ${fmt(cell.p99Ms, 2).padStart(8)} ${fmt(cell.maxMs, 1).padStart(8)} ${`${cell.ok}/${cell.attempts}`.padStart(11)} ${String(cell.errors).padStart(7)} ${fmt(row.requestsPerLogin, 2).padStart(10)} ${String(row.connections).padStart(10)} ${fmt(cell.cpuMsPerLogin, 3).padStart(13)} ${fmt(row.drainMs / 1000, 1).padStart(8)}`,
    );
  }
  lines.push("");
  lines.push("   conc    a/b   a/b0    a/c   a0/b  a0/c   (throughput ratios, successful logins/s)");
  for (const concurrency of CONCURRENCY) {
    const cell = (id: string) => cellOf(report, id, concurrency);
    const ratios = [
      ["a", "b"],
      ["a", "b0"],
      ["a", "c"],
      ["a0", "b"],
      ["a0", "c"],
    ].map(([x, y]) => ratioText(ratio(cell(x!), cell(y!))).padStart(6));
    lines.push(`   ${String(concurrency).padStart(4)} ${ratios.join(" ")}`);
  }
  const errorLines = report.rows.flatMap((row) =>
    [...row.cell.errorKinds].map(
      ([message, count]) => `   ${row.impl.id} c=${row.cell.concurrency}: ${count}x ${message}`,
    ),
  );
  const warm = report.rows
    .filter((row) => row.warmupFailures > 0)
    .map((row) => `${row.impl.id} c=${row.cell.concurrency}: ${row.warmupFailures}`);
  const reducedWarmUp = report.rows
    .filter((row) => row.warmConcurrency < row.cell.concurrency)
    .map((row) => `${row.impl.id} c=${row.cell.concurrency}→${row.warmConcurrency}`);
  if (reducedWarmUp.length > 0)
    lines.push(
      "",
      `   warm-up at lower concurrency (one round would not fit in ${WARMUP_SECONDS} s): ${reducedWarmUp.join(", ")}`,
    );
  if (errorLines.length > 0 || warm.length > 0 || report.emittedByLdapauth > 0) {
    lines.push("");
    lines.push("   errors:");
    lines.push(...errorLines);
    if (warm.length > 0) lines.push(`   failed warm-up logins (not counted above): ${warm.join(", ")}`);
    if (report.emittedByLdapauth > 0)
      lines.push(`   ldapauth-fork emitted ${report.emittedByLdapauth} 'error' events over the run`);
  }
  const f = report.failover;
  if (f) {
    lines.push("");
    lines.push(
      `   failover (a): url ${f.silentUrl} (silent listener, accepts and never answers), failoverUrls [${d.url}], connectTimeoutMs ${FAILOVER_TIMEOUTS.connectMs}`,
    );
    lines.push(
      `     first login:                        ${fmt(f.first.ms, 1)} ms ${f.first.ok ? "ok" : `FAILED ${f.first.error}`}`,
    );
    const row = (label: string, cell: CellResult) =>
      `     ${label.padEnd(36)} p50 ${fmt(cell.p50Ms, 2)} ms, p99 ${fmt(cell.p99Ms, 2)} ms, max ${fmt(cell.maxMs, 1)} ms, ${cell.ok}/${cell.attempts} ok, ${fmt(cell.perSecond)} logins/s`;
    lines.push(row("next logins, one at a time:", f.sequential));
    lines.push(row("next logins, concurrency 8:", f.concurrent));
    lines.push(
      `     connections the silent listener accepted over those ${1 + f.sequential.attempts + f.concurrent.attempts} logins: ${f.acceptedByListener}`,
    );
    lines.push(row("cold burst, 8 first logins at once:", f.coldBurst));
    lines.push(`     connections its silent listener accepted: ${f.acceptedInColdBurst}`);
  }
  console.log(lines.join("\n"));
}

function printSummary(reports: DirectoryReport[]): void {
  const parts = (id: string, target: number) =>
    reports.map((report) => {
      const values = CONCURRENCY.map((concurrency) =>
        ratio(cellOf(report, "a", concurrency), cellOf(report, id, concurrency)),
      );
      const met = values.filter((v) => v >= target).length;
      return `${report.d.label} ${values.map(ratioText).join("/")} (${met}/${values.length} met)`;
    });
  console.log("");
  console.log(
    `SUMMARY (c=${CONCURRENCY.join("/")}, ${TLS}): target a/b >= 1.0: ${parts("b", 1).join("; ")} | target a/c >= 3: ${parts("c", 3).join("; ")}`,
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const directories: BenchDirectory[] = [];
  for (const make of [openldapDirectory, sambaDirectory]) {
    try {
      const d = make(TLS);
      if (!ONLY || ONLY === d.key) directories.push(d);
    } catch (error) {
      console.error((error as Error).message);
      process.exitCode = 1;
      return;
    }
  }
  const load = () =>
    os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ");
  console.log(
    `LDAP login benchmark  ${new Date().toISOString()}  node ${process.version}, ${os.cpus().length} CPUs shared with the servers; load average at start ${load()}`,
  );
  console.log(
    `per cell: ${LOGINS} logins or ${SECONDS} s, whichever first, after max(${WARMUP_LOGINS}, 2×conc) warm-up logins or ${WARMUP_SECONDS} s; users ${directories[0]?.users.join(", ")} alternating`,
  );
  console.log(
    `timeouts for a, b, c: connect ${TIMEOUTS.connectMs} ms, operation ${TIMEOUTS.operationMs} ms; a login running ${LIMITS.guardMs} ms is counted as hung`,
  );
  console.log(
    `TLS for all three: ${TLS === "ldaps" ? "ldaps://" : "ldap:// + StartTLS"} with the test CA; counters: ${installedCounters.join(", ") || "none"}`,
  );
  console.log(`a = ${engineSource} authenticate() with its own service and bind connection pools`);
  console.log("a0 = a with nestedGroupsCacheSeconds 0: parents read from the directory at every login");
  console.log(
    "b = raw ldapts: 1 service connection bound once, searches multiplexed on it; user bind on a reused bind connection (free list, one login at a time each); the group queries a0 sends, in order",
  );
  console.log("b0 = b without the group queries (search + bind only)");
  console.log(
    "c = ldapauth-fork 6.1.0, one shared instance (1 admin + 1 user connection), reconnect on, ldapjs timeouts set",
  );

  const reports: DirectoryReport[] = [];
  for (const d of directories) reports.push(await benchDirectory(d));
  for (const report of reports) printDirectory(report);
  printSummary(reports);
  console.log(
    `total time ${fmt((performance.now() - started) / 1000, 1)} s; load average at end ${load()} (other work on this machine skews every number)`,
  );
}

try {
  await main();
} finally {
  // Logins abandoned by the guard end by themselves (their own timeouts, or the engine's pool
  // queue draining); closing their connections under them would only add errors.
  const waitStarted = performance.now();
  const pending = await settleAbandoned(20_000);
  if (pending > 0)
    progress(
      `bench: waited ${fmt((performance.now() - waitStarted) / 1000, 1)} s for ${pending} abandoned logins to end (${abandonedCount()} still running: ${abandonedSummary() || "none"})`,
    );
  await engine.closeAllPools();
  // Everything is closed; if a library still holds a handle, do not hang the terminal.
  setTimeout(() => {
    const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
    const names = handles.map((h) => {
      const socket = h as { remoteAddress?: string; remotePort?: number; localPort?: number };
      return socket.remotePort
        ? `${h.constructor.name} to ${socket.remoteAddress}:${socket.remotePort}`
        : h.constructor.name;
    });
    progress(
      `bench: still open 2 s after cleanup (${abandonedCount()} abandoned logins still running: ${abandonedSummary() || "none"}), exiting anyway: ${names.join(", ") || "(timers only)"}`,
    );
    process.exit(process.exitCode ?? 0);
  }, 2_000).unref();
}
