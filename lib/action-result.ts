/**
 * What every server action returns. The form applies fieldErrors with setError(field) and the
 * formError with setError("root.server").
 */
export type ActionResult<T = undefined> = { ok: true; data: T } | ActionFailure;

export type ActionFailure = { ok: false; fieldErrors?: Record<string, string>; formError?: string };

type Issue = { path: PropertyKey[]; message: string };

/**
 * The first message per field, named by its path ("ldapMappings.0.dn"). With `under`, only the
 * issues inside that key count, named within it: the action's input is `{ id, values }` and the
 * form knows `values`' fields.
 */
export function fieldErrorsFromZod(issues: Issue[], under?: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    if (under !== undefined && issue.path[0] !== under) continue;
    const path = under === undefined ? issue.path : issue.path.slice(1);
    const key = path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}
