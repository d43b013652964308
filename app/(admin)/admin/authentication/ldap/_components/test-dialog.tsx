"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Dialog } from "@/app/_components/dialog";
import { Button, Field, fieldProps, FormError } from "@/app/_components/ui";
import type { ActionResult } from "@/lib/action-result";
import type { TestReport } from "@/lib/configurations/test-report";
import { ldapTestSchema, type LdapTestInput } from "@/lib/validation/ldap-test";
import { TraceView } from "./trace-view";

/**
 * Asks for a username and an optional password (look-up mode without it), runs the test and
 * shows the trace. The password stays in this form: it is sent once and never shown again.
 */
export function TestDialog({
  open,
  onClose,
  title,
  run,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  run: (input: LdapTestInput) => Promise<ActionResult<TestReport>>;
}) {
  const [report, setReport] = useState<TestReport | undefined>();
  const {
    register,
    handleSubmit,
    setError,
    resetField,
    formState: { errors, isSubmitting },
  } = useForm<LdapTestInput>({ resolver: zodResolver(ldapTestSchema), defaultValues: { username: "", password: "" } });

  async function onSubmit(values: LdapTestInput) {
    setReport(undefined);
    const result = await run(values);
    resetField("password");
    if (!result.ok) {
      for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
        if (field === "username" || field === "password") setError(field, { message });
      }
      const other = Object.entries(result.fieldErrors ?? {}).filter(
        ([field]) => field !== "username" && field !== "password",
      );
      setError("root.server", {
        message: [result.formError, ...other.map(([field, message]) => `${field}: ${message}`)]
          .filter(Boolean)
          .join(" "),
      });
      return;
    }
    setReport(result.data);
  }

  return (
    <Dialog open={open} onClose={onClose} title={title} wide>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="grid grid-cols-[1fr_1fr_auto] items-start gap-3">
        <Field id="test-username" label="Test Username" error={errors.username?.message}>
          <input
            {...fieldProps("test-username", errors.username?.message)}
            autoComplete="off"
            placeholder="test_user_1@kasm.core"
            {...register("username")}
          />
        </Field>
        <Field
          id="test-password"
          label="Test Password"
          error={errors.password?.message}
          help="Optional: leave empty to only look the user up"
        >
          <input
            {...fieldProps("test-password", errors.password?.message, true)}
            type="password"
            autoComplete="new-password"
            {...register("password")}
          />
        </Field>
        <Button type="submit" variant="primary" disabled={isSubmitting} className="mt-6">
          {isSubmitting ? "Testing…" : "Run Test"}
        </Button>
      </form>
      <div className="mt-3">
        <FormError message={errors.root?.server?.message} />
      </div>
      {isSubmitting && (
        <p role="status" className="mt-4 text-sm text-slate-600">
          Connecting, binding and searching… (bounded by the configured timeouts)
        </p>
      )}
      {report && (
        <div className="mt-4 max-h-[60vh] overflow-auto">
          <TraceView report={report} />
        </div>
      )}
    </Dialog>
  );
}
