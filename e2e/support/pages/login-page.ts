import { expect, type Page } from "@playwright/test";
import { ADMIN } from "../test-server";

/** The sign-in form (/login). */
export class LoginPage {
  constructor(readonly page: Page) {}

  /** Fills and submits the form already open (e.g. /login with a callbackUrl). */
  async submit(username: string, password: string) {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  /** Opens /login and signs in, leaving the page on the result. */
  async signIn(username: string, password: string) {
    await this.page.goto("/login");
    await this.submit(username, password);
  }

  /** Signs the suite's administrator in through the form and waits for the admin area. */
  async signInAsAdmin() {
    await this.signIn(ADMIN.username, ADMIN.password);
    await expect(this.page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  }
}
