"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { applyActionErrors, Button, Field, fieldProps, FormError, Notice } from "@/app/_components/ui";
import { PASSWORD_MIN_LENGTH, resetPasswordSchema, type ResetPasswordInput } from "@/lib/validation/user";
import { resetUserPasswordAction } from "../actions";
import { PasswordOnce } from "./password-once";

export function ResetPasswordForm({ userId }: { userId: string }) {
  const [done, setDone] = useState<{ generatedPassword?: string }>();
  const defaults: ResetPasswordInput = { userId, password: "", generatePassword: false };
  const {
    register,
    control,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<ResetPasswordInput>({ resolver: zodResolver(resetPasswordSchema), defaultValues: defaults });
  const generate = useWatch({ control, name: "generatePassword" });

  async function onSubmit(values: ResetPasswordInput) {
    setDone(undefined);
    const result = await resetUserPasswordAction({
      ...values,
      password: values.generatePassword ? "" : values.password,
    });
    if (!result.ok) {
      applyActionErrors(result, setError, (field) => field === "password");
      return;
    }
    setDone(result.data);
    reset(defaults);
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-3">
      {done && <Notice>Password reset. The user signs in with the new password from now on.</Notice>}
      {done?.generatedPassword && <PasswordOnce password={done.generatedPassword} />}
      {generate ? (
        <p className="text-sm text-slate-600">A random password is generated and shown once.</p>
      ) : (
        <Field
          id="reset-password"
          label="New password"
          error={errors.password?.message}
          help={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        >
          <input
            type="password"
            {...fieldProps("reset-password", errors.password?.message, true)}
            autoComplete="new-password"
            {...register("password")}
          />
        </Field>
      )}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="h-4 w-4" {...register("generatePassword")} />
        Generate
      </label>
      <FormError message={errors.root?.server?.message} />
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Saving…" : "Reset password"}
      </Button>
    </form>
  );
}
