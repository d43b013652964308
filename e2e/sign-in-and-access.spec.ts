import { ADMIN, expect, test } from "./fixtures";

/** Signing in and out, who reaches the admin area and the profile, and the health endpoint. */

const ADMIN_PAGES = ["/admin", "/admin/authentication/ldap", "/admin/groups", "/admin/users", "/admin/audit"];

test("the administrator signs in and sees the admin navigation", async ({ page, loginPage }) => {
  await loginPage.signInAsAdmin();
  const nav = page.getByRole("navigation", { name: "Admin" });
  for (const label of ["Authentication → LDAP", "Groups", "Users", "Audit"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await nav.getByRole("link", { name: "Groups" }).click();
  await expect(page).toHaveURL(/\/admin\/groups$/);
});

test("the form signs in with one request, and fetches a CSRF token only when the page's cookie was lost", async ({
  page,
  context,
  loginPage,
}) => {
  const authRequests: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/auth/")) authRequests.push(`${request.method()} ${url.pathname}`);
  });
  await loginPage.signInAsAdmin();
  // The token came with the page: no CSRF fetch before, no session fetch after.
  expect(authRequests).toEqual(["POST /api/auth/callback/credentials"]);

  await context.clearCookies();
  await page.goto("/login");
  await context.clearCookies();
  authRequests.length = 0;
  await loginPage.submit(ADMIN.username, ADMIN.password);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  expect(authRequests).toEqual([
    "POST /api/auth/callback/credentials",
    "GET /api/auth/csrf",
    "POST /api/auth/callback/credentials",
  ]);
});

test("a wrong password shows the generic error and stays on the login page", async ({ page, loginPage }) => {
  await loginPage.signIn(ADMIN.username, "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("an unknown user gets the same message as a wrong password", async ({ page, loginPage }) => {
  await loginPage.signIn("nobody@portal.local", "whatever-password");
  await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();
});

test("empty fields are refused at the field before anything is sent", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your username")).toBeVisible();
  await expect(page.getByText("Enter your password")).toBeVisible();
});

test("an anonymous visit to the admin area lands on /login", async ({ page }) => {
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel("Username")).toBeVisible();
  }
});

test("an anonymous request with a forged session cookie still gets no admin page", async ({
  page,
  context,
  baseURL,
}) => {
  await context.addCookies([{ name: "next-auth.session-token", value: "forged", url: baseURL! }]);
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login/);
  }
});

test("a signed-in non-admin is refused from every admin page and sees All Users on the profile", async ({
  page,
  loginPage,
  database,
}) => {
  const username = `plain-${Date.now()}@portal.local`;
  await database.createLocalUser(username, "Plain-User-Password-1");
  await loginPage.signIn(username, "Plain-User-Password-1");
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId("profile-username")).toHaveText(username);
  await expect(page.getByTestId("profile-group")).toHaveCount(1);
  await expect(page.getByTestId("profile-group").first()).toContainText("All Users");
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  for (const path of ADMIN_PAGES) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
  }
});

test("the profile shows the administrator's groups including All Users", async ({ adminPage: page }) => {
  await page.goto("/profile");
  await expect(page.getByTestId("profile-username")).toHaveText(ADMIN.username);
  await expect(page.getByTestId("profile-source")).toHaveText("Local");
  const groups = page.getByTestId("profile-group");
  await expect(groups.filter({ hasText: "All Users" })).toHaveCount(1);
  await expect(groups.filter({ hasText: "Administrators" })).toHaveCount(1);
});

test("sign-out ends the session", async ({ page, loginPage }) => {
  await loginPage.signInAsAdmin();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login/);
});

test("the health endpoint reports the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: "ok" });
});
