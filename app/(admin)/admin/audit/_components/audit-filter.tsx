import Link from "next/link";
import { buttonClass, Field, fieldProps } from "@/app/_components/ui";
import {
  AUDIT_ACTOR_MAX,
  AUDIT_OUTCOMES,
  type AuditFilterErrors,
  type AuditFilterValues,
} from "@/lib/audit-export/filters";

/** The choices plus the value in force, so a bookmarked filter shows even before any such event exists. */
function withCurrent(choices: string[], value: string): string[] {
  return value && !choices.includes(value) ? [...choices, value].sort() : choices;
}

/** A datetime-local input that keeps a time given to the second (a bookmarked URL) valid to submit. */
function DateTimeInput({ name, value, error }: { name: "from" | "to"; value: string; error?: string }) {
  const id = `audit-${name}`;
  return (
    <input
      {...fieldProps(id, error, true)}
      type="datetime-local"
      name={name}
      defaultValue={value.replace(/Z$/, "")}
      step={/T\d{2}:\d{2}:\d{2}/.test(value) ? 1 : undefined}
    />
  );
}

/**
 * Narrows the log by time (UTC), actor, kind, action and outcome. A plain GET form: the filters
 * live in the URL, a filtered view can be bookmarked, and it works without JavaScript.
 */
export function AuditFilter({
  values,
  errors,
  choices,
}: {
  values: AuditFilterValues;
  errors: AuditFilterErrors;
  choices: { kinds: string[]; actions: string[] };
}) {
  const filtered = Object.values(values).some(Boolean);
  return (
    <form
      method="get"
      action="/admin/audit"
      aria-label="Filter the audit log"
      className="mb-4 grid grid-cols-1 items-start gap-3 sm:grid-cols-2 lg:grid-cols-3"
    >
      <Field id="audit-from" label="From (UTC)" error={errors.from} help="On or after this minute">
        <DateTimeInput name="from" value={values.from} error={errors.from} />
      </Field>
      <Field id="audit-to" label="To (UTC)" error={errors.to} help="Up to the end of this minute">
        <DateTimeInput name="to" value={values.to} error={errors.to} />
      </Field>
      <Field id="audit-actor" label="Actor" error={errors.actor} help="The whole username, or system">
        <input
          {...fieldProps("audit-actor", errors.actor, true)}
          type="text"
          name="actor"
          defaultValue={values.actor}
          maxLength={AUDIT_ACTOR_MAX}
          placeholder="admin@portal.local"
          autoComplete="off"
        />
      </Field>
      <Field id="audit-kind" label="Kind" error={errors.kind}>
        <select {...fieldProps("audit-kind", errors.kind)} name="kind" defaultValue={values.kind}>
          <option value="">All kinds</option>
          {withCurrent(choices.kinds, errors.kind ? "" : values.kind).map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </Field>
      <Field id="audit-action" label="Action" error={errors.action}>
        <select {...fieldProps("audit-action", errors.action)} name="action" defaultValue={values.action}>
          <option value="">All actions</option>
          {withCurrent(choices.actions, errors.action ? "" : values.action).map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </Field>
      <Field id="audit-outcome" label="Outcome" error={errors.outcome}>
        <select {...fieldProps("audit-outcome", errors.outcome)} name="outcome" defaultValue={values.outcome}>
          <option value="">Any outcome</option>
          {AUDIT_OUTCOMES.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </Field>
      <div className="flex items-center gap-2 sm:col-span-2 lg:col-span-3">
        <button type="submit" className={buttonClass("secondary")}>
          Filter
        </button>
        {filtered && (
          <Link href="/admin/audit" className="px-2 py-1.5 text-sm text-blue-700 hover:underline">
            Clear
          </Link>
        )}
      </div>
    </form>
  );
}
