import "server-only";
import type { LdapError, LdapStep } from "../errors";

/** One step of a login as the administrator sees it in the test dialog and the CLI. */
export interface TraceStep {
  name: LdapStep;
  ok: boolean;
  ms: number;
  /** What the step used and found (URL, filter, DN, groups …). Never a password. */
  detail: Record<string, unknown>;
  error?: LdapError;
}

export class Trace {
  readonly steps: TraceStep[] = [];

  /** A sign-in's trace is thrown away: it records nothing, and callers skip costly details. */
  constructor(readonly recording = true) {}

  add(step: TraceStep): void {
    if (this.recording) this.steps.push(step);
  }

  /** Runs `fn`, timing it, and records the step with the detail it reports. */
  async step<T>(
    name: LdapStep,
    fn: (detail: Record<string, unknown>) => Promise<{ ok: true; value: T } | { ok: false; error: LdapError }>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: LdapError }> {
    const detail: Record<string, unknown> = {};
    if (!this.recording) return fn(detail);
    const started = performance.now();
    const result = await fn(detail);
    this.add({ name, ok: result.ok, ms: elapsed(started), detail, ...(result.ok ? {} : { error: result.error }) });
    return result;
  }
}

export function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
