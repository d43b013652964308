"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { Field, fieldProps, FormError } from "@/app/_components/ui";
import { SECOND_STEP_DUE, SECOND_STEP_PATH } from "@/lib/two-factor/second-step";
import { loginSchema, type LoginInput } from "@/lib/validation/login";

/**
 * NextAuth's credentials sign-in in one request: the CSRF token came with the page (proxy.ts set
 * its double-submit cookie). Only when that cookie went missing meanwhile (NextAuth answers with
 * "?csrf=true") is a new token fetched and the sign-in sent again. next-auth/react's signIn() also
 * fetches the provider list before and the session after, which this page needs neither of.
 */
async function signInWithCredentials(
  values: LoginInput,
  callbackUrl: string,
  pageCsrfToken: string,
): Promise<{ error?: string }> {
  const post = (csrfToken: string) =>
    fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
      body: new URLSearchParams({ ...values, csrfToken, callbackUrl, json: "true" }),
    });
  const read = async (response: Response) => {
    const data = (await response.json().catch(() => ({}))) as { url?: string };
    return { response, url: data.url ? new URL(data.url, window.location.href) : undefined };
  };
  let { response, url } = await read(await post(pageCsrfToken));
  if (url?.searchParams.get("csrf") === "true") {
    const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    ({ response, url } = await read(await post(csrfToken)));
  }
  // As signIn() reads it: a refusal (HTTP 401) names its message in the returned URL's `error`.
  if (!url) return { error: "Sign-in failed" };
  const error = url.searchParams.get("error");
  if (error) return { error };
  return response.ok && url.searchParams.get("csrf") !== "true" ? {} : { error: "Sign-in failed" };
}

export function LoginForm({ callbackUrl, csrfToken }: { callbackUrl: string; csrfToken: string }) {
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<LoginInput>({ resolver: zodResolver(loginSchema), defaultValues: { username: "", password: "" } });

  async function onSubmit(values: LoginInput) {
    const result = await signInWithCredentials(values, callbackUrl, csrfToken).catch(() => ({
      error: "Sign-in failed",
    }));
    if (result.error === SECOND_STEP_DUE) {
      router.push(`${SECOND_STEP_PATH}?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      return;
    }
    if (result.error) {
      const message = result.error !== "CredentialsSignin" ? result.error : "Sign-in failed";
      setError("root.server", { message });
      return;
    }
    // A full navigation so every server component sees the new session cookie.
    window.location.assign(callbackUrl);
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="mt-6 space-y-4">
      <input type="hidden" name="csrfToken" value={csrfToken} />
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
