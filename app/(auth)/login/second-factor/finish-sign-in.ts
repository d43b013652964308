import { SECOND_STEP_PROVIDER } from "@/lib/two-factor/second-step";

/**
 * Asks NextAuth for the session once the second step is satisfied, then opens the page the
 * sign-in was for with a full navigation (every server component sees the new cookie).
 */
export async function finishSignIn(callbackUrl: string): Promise<string | undefined> {
  const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await fetch(`/api/auth/callback/${SECOND_STEP_PROVIDER}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
    body: new URLSearchParams({ csrfToken, callbackUrl, json: "true" }),
  });
  const data = (await response.json().catch(() => ({}))) as { url?: string };
  const error = data.url ? new URL(data.url, window.location.href).searchParams.get("error") : "Sign-in failed";
  if (error || !response.ok) return error ?? "Sign-in failed";
  window.location.assign(callbackUrl);
  return undefined;
}
