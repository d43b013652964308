"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { applyActionErrors, Button, Field, fieldProps, FormError, LinkButton, Notice } from "@/app/_components/ui";
import {
  createUserSchema,
  PASSWORD_MIN_LENGTH,
  type CreateUserFormValues,
  type CreateUserInput,
} from "@/lib/validation/user";
import { createUserAction } from "../actions";
import { PasswordOnce } from "./password-once";

const DEFAULTS: CreateUserFormValues = { username: "", email: "", password: "", generatePassword: false };

export function CreateUserForm() {
  const [created, setCreated] = useState<{ id: string; username: string; generatedPassword?: string }>();
  const {
    register,
    control,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<CreateUserFormValues, unknown, CreateUserInput>({
    resolver: zodResolver(createUserSchema),
    defaultValues: DEFAULTS,
  });
  const generate = useWatch({ control, name: "generatePassword" });

  async function onSubmit(values: CreateUserInput) {
    // A typed password is not sent when the server is to generate one.
    const result = await createUserAction({ ...values, password: values.generatePassword ? "" : values.password });
    if (!result.ok) {
      applyActionErrors(result, setError, (field) => field in DEFAULTS);
      return;
    }
    setCreated(result.data);
    reset(DEFAULTS);
  }

  if (created) {
    return (
      <div className="space-y-4">
        <Notice>User {created.username} created.</Notice>
        {created.generatedPassword && <PasswordOnce password={created.generatedPassword} />}
        <div className="flex gap-2">
          <LinkButton href={`/admin/users/${created.id}`} variant="primary">
            Open {created.username}
          </LinkButton>
          <LinkButton href="/admin/users">Back to users</LinkButton>
          <Button onClick={() => setCreated(undefined)}>Create another</Button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-5">
      <Field
        id="user-username"
        label="Username"
        error={errors.username?.message}
        help="The login, e.g. jane@portal.local. Stored in lower case."
      >
        <input
          {...fieldProps("user-username", errors.username?.message, true)}
          autoComplete="off"
          spellCheck={false}
          {...register("username")}
        />
      </Field>
      <Field id="user-email" label="Email" error={errors.email?.message} help="Optional.">
        <input
          type="email"
          {...fieldProps("user-email", errors.email?.message, true)}
          autoComplete="off"
          {...register("email")}
        />
      </Field>
      <div className="space-y-2">
        {generate ? (
          <p className="text-sm">
            <span className="block font-medium">Password</span>
            <span className="text-slate-600">
              A random password is generated and shown once after you create the user.
            </span>
          </p>
        ) : (
          <Field
            id="user-password"
            label="Password"
            error={errors.password?.message}
            help={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          >
            <input
              type="password"
              {...fieldProps("user-password", errors.password?.message, true)}
              autoComplete="new-password"
              {...register("password")}
            />
          </Field>
        )}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="h-4 w-4" {...register("generatePassword")} />
          Generate
        </label>
      </div>
      <p className="text-sm text-slate-600">
        This creates a local account. LDAP users are created at their first sign-in when the LDAP configuration allows
        it; their passwords stay in the directory.
      </p>
      <FormError message={errors.root?.server?.message} />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Create user"}
        </Button>
        <LinkButton href="/admin/users">Cancel</LinkButton>
      </div>
    </form>
  );
}
