import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { requireAdmin, type CurrentUser } from "@/lib/auth/guards";
import { recordAudit } from "@/lib/db/audit";
import { fieldErrorsFromZod, type ActionFailure, type ActionResult } from "./action-result";

/**
 * Every admin server action: admin check → parse → run → audit → revalidate, answering one
 * ActionResult. Expected refusals are thrown as ActionError (or returned by lib as results the
 * action turns into one); anything else is a bug and propagates.
 *
 *   export const deleteThingAction = adminAction({
 *     input: z.object({ id: recordIdSchema() }),
 *     audit: "thing.delete",
 *     revalidate: ["/admin/things"],
 *     async run({ id }, admin) { …; return { data: { name }, audit: { target: name } }; },
 *   });
 */

/** What the audit event of this call says besides actor, action and outcome. */
export interface AuditNote {
  target: string;
  details?: Record<string, unknown>;
}

/** An expected refusal: answered as field and/or form errors, and audited as a failure when `audit` is given. */
export class ActionError extends Error {
  readonly fieldErrors?: Record<string, string>;
  readonly formError?: string;
  readonly audit?: AuditNote;

  constructor(failure: { fieldErrors?: Record<string, string>; formError?: string; audit?: AuditNote }) {
    super(failure.formError ?? Object.values(failure.fieldErrors ?? {})[0] ?? "Refused");
    this.name = "ActionError";
    this.fieldErrors = failure.fieldErrors;
    this.formError = failure.formError;
    this.audit = failure.audit;
  }
}

/** What `run` hands back: the client's data, and the success event's target and details. */
export interface Done<T> {
  data: T;
  audit?: AuditNote;
}

export type Revalidation = string | { path: string; type: "layout" | "page" };

type Issue = z.core.$ZodIssue;

/**
 * How input that does not parse is answered.
 * - absent: every issue is a field error named by its path (a form's whole input);
 * - `{ formError }`: one form error (a button whose input is ids: nothing the admin can correct);
 * - `{ formError, fieldsOf: "values" }`: issues inside `values` are field errors named within it;
 *   any issue elsewhere (an id) answers the form error alone;
 * - a function: anything else.
 */
export type InvalidInput = { formError: string; fieldsOf?: string } | ((issues: Issue[]) => Omit<ActionFailure, "ok">);

export interface AdminActionSpec<Schema extends z.ZodType, T> {
  /** Validates everything the client sends, ids included. */
  input: Schema;
  invalid?: InvalidInput;
  /** The audit action ("group.create"): success from `run`'s note, failure from an ActionError's. */
  audit?: string;
  run(input: z.output<Schema>, admin: CurrentUser): Promise<Done<T>>;
  /** Paths revalidated after a success. */
  revalidate?: readonly Revalidation[] | ((input: z.output<Schema>, data: T) => readonly Revalidation[]);
}

/** A parse failure as the client gets it. Pure. */
export function invalidInputFailure(issues: Issue[], invalid?: InvalidInput): ActionFailure {
  if (typeof invalid === "function") return { ok: false, ...invalid(issues) };
  if (!invalid) return { ok: false, fieldErrors: fieldErrorsFromZod(issues) };
  const { formError, fieldsOf } = invalid;
  if (fieldsOf === undefined || issues.some((issue) => issue.path[0] !== fieldsOf)) return { ok: false, formError };
  return { ok: false, fieldErrors: fieldErrorsFromZod(issues, fieldsOf) };
}

/** An ActionError as the client gets it (no empty keys). Pure. */
export function actionErrorFailure(error: ActionError): ActionFailure {
  return {
    ok: false,
    ...(error.fieldErrors && Object.keys(error.fieldErrors).length > 0 ? { fieldErrors: error.fieldErrors } : {}),
    ...(error.formError ? { formError: error.formError } : {}),
  };
}

export function adminAction<Schema extends z.ZodType, T>(
  spec: AdminActionSpec<Schema, T>,
): (input: z.input<Schema>) => Promise<ActionResult<T>> {
  return async (raw) => {
    const admin = await requireAdmin();
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success) return invalidInputFailure(parsed.error.issues, spec.invalid);
    const input = parsed.data;

    let done: Done<T>;
    try {
      done = await spec.run(input, admin);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.audit) await record(spec.audit, admin, "failure", error.audit);
      return actionErrorFailure(error);
    }
    if (spec.audit) {
      if (!done.audit) throw new Error(`${spec.audit}: the action returned no audit note`);
      await record(spec.audit, admin, "success", done.audit);
    }
    const paths = typeof spec.revalidate === "function" ? spec.revalidate(input, done.data) : (spec.revalidate ?? []);
    for (const path of paths) {
      if (typeof path === "string") revalidatePath(path);
      else revalidatePath(path.path, path.type);
    }
    return { ok: true, data: done.data };
  };
}

async function record(action: string | undefined, admin: CurrentUser, outcome: "success" | "failure", note: AuditNote) {
  if (!action) throw new Error("An audit note for an action without an audit name");
  await recordAudit({
    actor: admin.username,
    action,
    target: note.target,
    outcome,
    ...(note.details ? { details: note.details } : {}),
  });
}
