import Link from "next/link";
import type { ComponentProps, ReactNode } from "react";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

/** Small shared building blocks so every admin page looks and behaves the same. */

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{title}</h1>
        {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 gap-2">{actions}</div>}
    </div>
  );
}

const BUTTON_STYLES = {
  primary: "bg-blue-700 text-white hover:bg-blue-800",
  secondary: "border border-slate-300 bg-white hover:bg-slate-100",
  danger: "bg-red-700 text-white hover:bg-red-800",
  ghost: "hover:bg-slate-100",
} as const;

export type ButtonVariant = keyof typeof BUTTON_STYLES;

export function buttonClass(variant: ButtonVariant = "secondary") {
  return `inline-flex items-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600 ${BUTTON_STYLES[variant]}`;
}

export function Button({
  variant = "secondary",
  className = "",
  ...props
}: ComponentProps<"button"> & { variant?: ButtonVariant }) {
  return <button type="button" className={`${buttonClass(variant)} ${className}`} {...props} />;
}

export function LinkButton({
  variant = "secondary",
  className = "",
  ...props
}: ComponentProps<typeof Link> & { variant?: ButtonVariant }) {
  return <Link className={`${buttonClass(variant)} ${className}`} {...props} />;
}

export function Card({ children, className = "", ...props }: ComponentProps<"section">) {
  return (
    <section className={`rounded-lg border border-slate-200 bg-white p-6 shadow-sm ${className}`} {...props}>
      {children}
    </section>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-2 text-sm text-slate-600">{children}</div>}
    </div>
  );
}

export function Badge({
  tone = "neutral",
  children,
}: {
  tone?: "neutral" | "success" | "danger" | "info";
  children: ReactNode;
}) {
  const tones = {
    neutral: "bg-slate-100 text-slate-700",
    success: "bg-green-100 text-green-800",
    danger: "bg-red-100 text-red-800",
    info: "bg-blue-100 text-blue-800",
  };
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

export const inputClass =
  "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-blue-600 focus:outline-none aria-[invalid=true]:border-red-600";

/** A labelled field with its error and help text wired to the input by id. */
export function Field({
  id,
  label,
  error,
  help,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  help?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {help && !error && (
        <p id={`${id}-help`} className="mt-1 text-xs text-slate-500">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** Props for an input inside <Field>: invalid state and the description ids. */
export function fieldProps(id: string, error: string | undefined, hasHelp = false) {
  const describedBy = error ? `${id}-error` : hasHelp ? `${id}-help` : undefined;
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy, className: inputClass };
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}

/** A success message after a redirect or an inline save; announced to screen readers. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="mb-4 rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
      {children}
    </p>
  );
}

/**
 * Applies a failed ActionResult to a react-hook-form form: each field error with
 * setError(field), the form error (and errors for fields the form lacks) on "root.server".
 */
export function applyActionErrors<T extends FieldValues>(
  result: { fieldErrors?: Record<string, string>; formError?: string },
  setError: UseFormSetError<T>,
  knownFields?: (field: string) => boolean,
) {
  let focused = false;
  const leftover: string[] = [];
  for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
    if (field === "form" || (knownFields && !knownFields(field))) {
      leftover.push(message);
      continue;
    }
    setError(field as Path<T>, { type: "server", message }, { shouldFocus: !focused });
    focused = true;
  }
  const formMessage = [result.formError, ...leftover].filter(Boolean).join(" ");
  if (formMessage || !focused)
    setError("root.server", { type: "server", message: formMessage || "The change could not be saved. Try again." });
}

/** A timestamp rendered the same on every page: "2025-01-31 14:05:09 UTC", or a dash. */
export function DateTime({ value, fallback = "—" }: { value: Date | null | undefined; fallback?: string }) {
  if (!value) return <span className="text-slate-400">{fallback}</span>;
  const iso = value.toISOString();
  return <time dateTime={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`}</time>;
}
