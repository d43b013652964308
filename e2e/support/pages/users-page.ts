import { expect, type Page } from "@playwright/test";

/** Users (/admin/users) and a user's detail page. */
export class UsersPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/users");
  }

  /** The user's row in the list (the list must be open). */
  row(username: string) {
    return this.page.getByTestId("user-row").filter({ hasText: username });
  }

  /** Opens the user's detail page from the list. */
  async open(username: string) {
    await this.goto();
    await this.row(username).getByRole("link", { name: username }).click();
    await expect(this.page.getByRole("heading", { name: username, level: 1 })).toBeVisible();
  }
}
