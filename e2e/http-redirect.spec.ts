import { ADMIN, expect, test } from "./fixtures";

/** After sign-in the browser stays on the portal, whatever callbackUrl says. */

const EVIL = "evil.example";

// Each is how it appears in the query string of /login (already percent-encoded where shown).
const HOSTILE_CALLBACKS = [
  ["dot segments leaving //", encodeURIComponent(`/.//${EVIL}/phish`)],
  ["encoded absolute URL", encodeURIComponent(`https://${EVIL}/phish`)],
  ["double-encoded //", encodeURIComponent(encodeURIComponent(`//${EVIL}/phish`))],
  ["backslash", encodeURIComponent(`/\\${EVIL}/phish`)],
  ["tab", encodeURIComponent(`/\t/${EVIL}/phish`)],
];

for (const [name, callback] of HOSTILE_CALLBACKS) {
  test(`signing in with an off-site callbackUrl (${name}) lands on the portal`, async ({
    page,
    loginPage,
    baseURL,
  }) => {
    const offSite: string[] = [];
    await page.route(`**://${EVIL}/**`, (route) => {
      offSite.push(route.request().url());
      return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Not the portal</h1>" });
    });
    await page.goto(`/login?callbackUrl=${callback}`);
    // The login page already open (signIn would open /login afresh, without the callbackUrl).
    await loginPage.submit(ADMIN.username, ADMIN.password);
    // "/" sends the administrator on to /admin.
    await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await expect(page).toHaveURL(/\/admin$/);
    expect(offSite).toEqual([]);
  });
}

test("a same-site callbackUrl is still honoured", async ({ page, loginPage }) => {
  await page.goto(`/login?callbackUrl=${encodeURIComponent("/admin/groups")}`);
  await loginPage.submit(ADMIN.username, ADMIN.password);
  await expect(page).toHaveURL(/\/admin\/groups$/);
});

test("NextAuth's own redirects stay on the portal", async ({ baseURL }) => {
  for (const callbackUrl of [`https://${EVIL}/`, `//${EVIL}/`, `/\\${EVIL}/`, `/.//${EVIL}/`, "javascript:alert(1)"]) {
    const csrfResponse = await fetch(`${baseURL}/api/auth/csrf`);
    const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
    const cookie = csrfResponse.headers
      .getSetCookie()
      .map((value) => value.split(";")[0])
      .join("; ");
    const response = await fetch(`${baseURL}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "X-Auth-Return-Redirect": "1" },
      body: new URLSearchParams({
        csrfToken,
        username: ADMIN.username,
        password: ADMIN.password,
        json: "true",
        callbackUrl,
      }),
    });
    const { url } = (await response.json()) as { url: string };
    const landing = new URL(url, baseURL);
    expect([callbackUrl, landing.origin]).toEqual([callbackUrl, new URL(baseURL!).origin]);
    expect([callbackUrl, landing.pathname.startsWith("//")]).toEqual([callbackUrl, false]);
  }
});
