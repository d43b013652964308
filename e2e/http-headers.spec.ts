import http from "node:http";
import { type APIResponse, expect, test } from "./fixtures";

/** Security headers on every kind of response, and the pages still work under the policy. */

function expectSecurityHeaders(response: APIResponse, what: string) {
  const headers = response.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("base-uri 'self'");
  expect(csp, what).toContain("form-action 'self'");
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*'(;|$)/);
  expect(csp, what).not.toContain("unsafe-eval");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("same-origin");
  for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) {
    expect(headers["permissions-policy"], what).toContain(`${feature}=()`);
  }
  // The test server's public URL is http: no HSTS (https is covered by the unit tests).
  expect(headers["strict-transport-security"], what).toBeUndefined();
}

test("pages, API routes, static assets, 404s and redirects carry the security headers", async ({ request }) => {
  const page = await request.get("/login");
  expect(page.status()).toBe(200);
  expectSecurityHeaders(page, "page");

  const api = await request.get("/api/health");
  expect(api.status()).toBe(200);
  expectSecurityHeaders(api, "API route");

  const session = await request.get("/api/auth/session");
  expectSecurityHeaders(session, "NextAuth route");

  const asset = (await page.text()).match(/\/_next\/static\/[^"']+\.js/)?.[0];
  expect(asset, "a script on the login page").toBeTruthy();
  const static_ = await request.get(asset!);
  expect(static_.status()).toBe(200);
  expectSecurityHeaders(static_, "static asset");

  // The portal's icons from public/, linked by every page.
  const html = await page.text();
  for (const [href, type] of [
    ["/favicon.ico", "image/"],
    ["/apple-touch-icon.png", "image/png"],
  ] as const) {
    expect(html, `the page links ${href}`).toContain(`href="${href}`);
    const icon = await request.get(href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain(type);
    expectSecurityHeaders(icon, href);
  }

  const missing = await request.get("/no-such-page");
  expect(missing.status()).toBe(404);
  expectSecurityHeaders(missing, "404");

  const redirect = await request.get("/admin", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expectSecurityHeaders(redirect, "redirect");
});

test("each page gets its own nonce, and Next.js puts it on every script", async ({ request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  const nonceOf = (response: APIResponse) =>
    /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1];
  const nonce = nonceOf(first);
  expect(nonce).toBeTruthy();
  expect(nonceOf(second)).not.toBe(nonce);
  const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
});

test("a client cannot choose the nonce", async ({ baseURL }) => {
  // Next.js reads the nonce from the request's policy: the server replaces any the client sends.
  const body = await new Promise<{ csp: string; html: string }>((resolve, reject) => {
    const request = http.get(
      `${baseURL}/login`,
      { headers: { "Content-Security-Policy": "script-src 'nonce-chosenbyclient'" } },
      (response) => {
        let html = "";
        response.on("data", (chunk: Buffer) => (html += chunk.toString()));
        response.on("end", () => resolve({ csp: String(response.headers["content-security-policy"]), html }));
      },
    );
    request.on("error", reject);
  });
  expect(body.csp).not.toContain("chosenbyclient");
  expect(body.html).not.toContain("chosenbyclient");
});

test("pages hydrate under the policy: the login form validates in the browser, no policy violations", async ({
  page,
  loginPage,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/content security policy|refused to (execute|load|apply)/i.test(message.text()))
      violations.push(message.text());
  });
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your username")).toBeVisible();
  await expect(page.getByText("Enter your password")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);

  await loginPage.signInAsAdmin();
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Groups" }).click();
  await expect(page).toHaveURL(/\/admin\/groups$/);
  // The 404 page too: rendered per request, so its scripts carry the response's nonce.
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the start page" }).click();
  await expect(page).not.toHaveURL(/no-such-page/);
  expect(violations).toEqual([]);
});
