import "server-only";
import type { LdapError } from "../errors";
import type { LoginErrorCode } from "../login";
import type { AccountState } from "./account-state";
import type { GroupResolution } from "./groups";
import type { Scope } from "./search";
import type { TlsInfo } from "./tls";

/**
 * What each step of a login records for the administrator (URL, filter, DN, groups …), by step.
 * Never a password. Fields a step fills as it goes are optional: a step that failed early has fewer.
 */
export type StepDetails = {
  /** The configuration was refused before any I/O (the error says why). */
  config: Record<string, never>;
  login: { login?: string; user?: string; domain?: string | null; code?: LoginErrorCode };
  /** Opening a connection: over TLS, what the handshake showed. */
  connect: { url: string; startTls?: boolean; tls?: TlsInfo };
  service_bind: { dn: string; url: string };
  user_search: {
    base?: string;
    scope?: Scope;
    filter?: string;
    entries?: number;
    dn?: string;
    email?: string | null;
    directoryId?: string | null;
  };
  /** `refused`: why no bind was sent (an empty password has neither DN nor reason). */
  user_bind: { dn?: string; url?: string; refused?: string };
  /** What the directory records about the account (a type, not the interface: details are plain records). */
  account_state: Pick<AccountState, keyof AccountState>;
  groups: {
    strategy?: GroupResolution["strategy"];
    /** How many queries; `filters` holds each one's effective filter text. */
    queries?: number;
    filters?: string[];
    depth?: number;
    direct?: string[];
    nested?: string[];
    complete?: boolean;
    incompleteReason?: string;
    cachedNesting?: GroupResolution["cachedNesting"];
  };
  required_group: { required: string; member: boolean; complete?: boolean };
  probe: Record<string, never>;
};

export type TraceStepName = keyof StepDetails;

/** One step of a login as the administrator sees it in the test dialog and the CLI: `detail` typed by `name`. */
export type TraceStep = {
  [Name in TraceStepName]: {
    name: Name;
    ok: boolean;
    ms: number;
    detail: StepDetails[Name];
    error?: LdapError;
  };
}[TraceStepName];

/** The steps that fill their detail while they run (Trace.step). */
type GrowingStep = "user_search" | "groups" | "probe";

export class Trace {
  readonly steps: TraceStep[] = [];

  /** A sign-in's trace is thrown away: it records nothing, and callers skip costly details. */
  constructor(readonly recording = true) {}

  add(step: TraceStep): void {
    if (this.recording) this.steps.push(step);
  }

  /** Runs `fn`, timing it, and records the step with the detail it reports. */
  async step<Name extends GrowingStep, T>(
    name: Name,
    fn: (detail: StepDetails[Name]) => Promise<{ ok: true; value: T } | { ok: false; error: LdapError }>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: LdapError }> {
    // Every growing step's detail starts empty (all its fields are optional).
    const detail = {} as StepDetails[Name];
    if (!this.recording) return fn(detail);
    const started = performance.now();
    const result = await fn(detail);
    this.add({
      name,
      ok: result.ok,
      ms: elapsed(started),
      detail,
      ...(result.ok ? {} : { error: result.error }),
    } as TraceStep);
    return result;
  }
}

export function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
