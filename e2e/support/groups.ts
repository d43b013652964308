import { expect, type Page } from "@playwright/test";
import { escapeRegExp } from "./ldap-pages";

/** Creates an app group through Groups → Create Group; `pick` uses the directory picker. */
export async function createGroupThroughUi(
  page: Page,
  group: { name: string; description: string; priority: number; dn: string },
  options: { pick?: { configName: string; text: string } } = {},
) {
  await page.goto("/admin/groups");
  await page.getByRole("link", { name: "Create Group" }).click();
  await page.getByLabel("Name", { exact: true }).fill(group.name);
  await page.getByLabel("Description", { exact: true }).fill(group.description);
  await page.getByLabel("Priority", { exact: true }).fill(String(group.priority));
  if (options.pick) {
    await page.getByRole("button", { name: "Search the directory…" }).click();
    const picker = page.getByRole("dialog", { name: "Find a directory group" });
    await picker.getByLabel("Configuration").selectOption({ label: options.pick.configName });
    await picker.getByLabel("Group name contains").fill(options.pick.text);
    await picker.getByRole("button", { name: "Search" }).click();
    const results = picker.getByRole("list", { name: "Matching directory groups" });
    await results.getByRole("button", { name: new RegExp(escapeRegExp(group.dn), "i") }).click();
    await expect(page.getByLabel("LDAP Group", { exact: true })).toHaveValue(new RegExp(`^${escapeRegExp(group.dn)}$`, "i"));
  } else {
    await page.getByLabel("LDAP Group", { exact: true }).fill(group.dn);
  }
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page).toHaveURL(/\/admin\/groups\?notice=created/);
}
