import { expect, type Page } from "@playwright/test";

/** LOGIN_THROTTLE_USER_LIMIT of the test server (playwright.config.ts). */
export const USER_THROTTLE_LIMIT = 50;

export const ADMIN = { username: "admin@portal.local", password: "E2e-Admin-Password-1" };

export async function signIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInAsAdmin(page: Page) {
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
}

export const ADMIN_PAGES = [
  "/admin",
  "/admin/authentication/ldap",
  "/admin/groups",
  "/admin/users",
  "/admin/audit",
];
