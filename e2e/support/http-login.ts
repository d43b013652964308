/**
 * A sign-in the way the login form does it, over plain HTTP (NextAuth's CSRF token, then the
 * credentials callback). Used by the HTTP specs, the concurrency tests and the login benchmark.
 */
export interface HttpLoginResult {
  ok: boolean;
  /** NextAuth's error text when the sign-in failed (the message the form shows). */
  error?: string;
  status: number;
  /** The session cookie ("name=value") when one was set. */
  sessionCookie?: string;
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

/** `headers` go with both requests (a proxy's X-Forwarded-For, for example). */
export async function httpLogin(
  baseURL: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<HttpLoginResult> {
  const csrfResponse = await fetch(`${baseURL}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      ...headers,
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: cookiesOf(csrfResponse),
      "X-Auth-Return-Redirect": "1",
    },
    body: new URLSearchParams({ csrfToken, username, password, json: "true", callbackUrl: `${baseURL}/` }),
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  const error = body.url ? (new URL(body.url).searchParams.get("error") ?? undefined) : undefined;
  const sessionCookie = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0]!)
    .find((cookie) => cookie.startsWith("next-auth.session-token="));
  return {
    ok: sessionCookie !== undefined && !error,
    status: response.status,
    ...(error ? { error } : {}),
    ...(sessionCookie ? { sessionCookie } : {}),
  };
}
