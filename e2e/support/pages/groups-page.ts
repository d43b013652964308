import { expect, type Page } from "@playwright/test";
import { escapeRegExp } from "../text";

export interface GroupValues {
  name: string;
  description: string;
  priority: number;
  dn: string;
}

/** Groups (/admin/groups) and its Create Group form. */
export class GroupsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/groups");
  }

  /** Creates an app group through Groups → Create Group; `pick` uses the directory picker. */
  async create(group: GroupValues, options: { pick?: { configName: string; text: string } } = {}) {
    const { page } = this;
    const field = (label: string) => page.getByLabel(label, { exact: true });
    await this.goto();
    await page.getByRole("link", { name: "Create Group" }).click();
    await field("Name").fill(group.name);
    await field("Description").fill(group.description);
    await field("Priority").fill(String(group.priority));
    if (options.pick) {
      await page.getByRole("button", { name: "Search the directory…" }).click();
      const picker = page.getByRole("dialog", { name: "Find a directory group" });
      await picker.getByLabel("Configuration").selectOption({ label: options.pick.configName });
      await picker.getByLabel("Group name contains").fill(options.pick.text);
      await picker.getByRole("button", { name: "Search" }).click();
      const results = picker.getByRole("list", { name: "Matching directory groups" });
      await results.getByRole("button", { name: new RegExp(escapeRegExp(group.dn), "i") }).click();
      await expect(field("LDAP Group")).toHaveValue(new RegExp(`^${escapeRegExp(group.dn)}$`, "i"));
    } else {
      await field("LDAP Group").fill(group.dn);
    }
    await page.getByRole("button", { name: "Create group" }).click();
    await expect(page).toHaveURL(/\/admin\/groups\?notice=created/);
  }
}
