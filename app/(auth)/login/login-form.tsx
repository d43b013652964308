"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useForm } from "react-hook-form";
import { Field, fieldProps, FormError } from "@/app/_components/ui";
import { loginSchema, type LoginInput } from "@/lib/validation/login";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<LoginInput>({ resolver: zodResolver(loginSchema), defaultValues: { username: "", password: "" } });

  async function onSubmit(values: LoginInput) {
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      const message = result?.error && result.error !== "CredentialsSignin" ? result.error : "Sign-in failed";
      setError("root.server", { message });
      return;
    }
    // A full navigation so every server component sees the new session cookie.
    window.location.assign(callbackUrl);
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="mt-6 space-y-4">
      <Field id="username" label="Username" error={errors.username?.message}>
        <input
          autoComplete="username"
          autoFocus
          {...fieldProps("username", errors.username?.message)}
          {...register("username")}
        />
      </Field>
      <Field id="password" label="Password" error={errors.password?.message}>
        <input
          type="password"
          autoComplete="current-password"
          {...fieldProps("password", errors.password?.message)}
          {...register("password")}
        />
      </Field>
      <FormError message={errors.root?.server?.message} />
      <button
        type="submit"
        disabled={isSubmitting}
        className="w-full rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60"
      >
        {isSubmitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
