/**
 * A sign-in the way the login page does it, over plain HTTP: the page brings NextAuth's CSRF
 * token and cookie, the form posts the credentials callback. Used by the HTTP specs, the
 * concurrency tests and the login benchmark.
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

/** What the login page gives a browser for its sign-ins: NextAuth's CSRF token and cookie. */
export interface LoginPageToken {
  csrfToken: string;
  cookie: string;
}

export async function openLoginPage(baseURL: string, headers: Record<string, string> = {}): Promise<LoginPageToken> {
  const page = await fetch(`${baseURL}/login`, { headers });
  const csrfToken = /name="csrfToken" value="([0-9a-f]+)"/.exec(await page.text())?.[1];
  if (!csrfToken) throw new Error(`the login page at ${baseURL} carries no CSRF token (HTTP ${page.status})`);
  return { csrfToken, cookie: cookiesOf(page) };
}

/**
 * `headers` go with every request (a proxy's X-Forwarded-For, for example). Without `page`, the
 * login page is opened first; a page kept open signs in again and again with its one token.
 */
export async function httpLogin(
  baseURL: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
  page?: LoginPageToken,
): Promise<HttpLoginResult> {
  const { csrfToken, cookie } = page ?? (await openLoginPage(baseURL, headers));
  const response = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      ...headers,
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: cookie,
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
