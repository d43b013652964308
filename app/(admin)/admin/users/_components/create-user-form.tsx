"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { applyActionErrors, Button, FormError, LinkButton } from "@/app/_components/ui";
import { createUserSchema, type CreateUserFormValues, type CreateUserInput } from "@/lib/validation/user";
import { createUserAction } from "../actions";
import { PasswordChoice, UserIdentityFields } from "./create-user-fields";
import { UserCreated, type CreatedUser } from "./user-created";

const DEFAULTS: CreateUserFormValues = { username: "", email: "", password: "", generatePassword: false };

export function CreateUserForm() {
  const [created, setCreated] = useState<CreatedUser>();
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

  if (created) return <UserCreated created={created} onCreateAnother={() => setCreated(undefined)} />;

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-5">
      <UserIdentityFields register={register} errors={errors} />
      <PasswordChoice register={register} errors={errors} generate={generate} />
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
