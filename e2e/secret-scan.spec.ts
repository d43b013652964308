import { expect, test } from "@playwright/test";
import { queryAll } from "./support/db";
import { directorySetup } from "./support/directories";
import { createLdapConfiguration, deleteLdapConfiguration, testLdapConnection } from "./support/ldap-pages";
import { signInAsAdmin } from "./support/pages";

/**
 * The Service Account Password is write-only: after saving, no response (HTML, RSC payload,
 * server action result) ever carries it, and the database holds only ciphertext.
 */
test("the service account password never reaches the browser again and is stored encrypted", async ({ page }) => {
  const setup = directorySetup("samba");
  const secret = setup.env.serviceAccount.password;
  const configName = "Secret scan";
  const bodies: { url: string; body: string }[] = [];
  // Every answer, including the save action's (its request carries the typed password).
  page.on("response", async (response) => {
    const body = await response.text().catch(() => "");
    bodies.push({ url: `${response.request().method()} ${response.url()}`, body });
  });

  await signInAsAdmin(page);
  await createLdapConfiguration(page, configName, setup, { alternateDomains: "secret-scan.test", enabled: false });

  // Everything an administrator does with the configuration afterwards.
  await page.goto("/admin/authentication/ldap");
  await page.getByRole("link", { name: `Edit ${configName}` }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await expect(page.getByLabel("Service Account Password")).toHaveValue("");
  await expect(page.getByText("A password is stored")).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/saved=/);

  const dialog = await testLdapConnection(page, configName, "test_user_1@kasm.core", setup.env.users.test_user_1!.password);
  await expect(dialog.getByRole("status").filter({ hasText: "Success" })).toBeVisible();
  await page.keyboard.press("Escape");

  await page.goto("/admin/authentication/ldap");
  await page.getByRole("link", { name: `Edit ${configName}` }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await page.getByRole("button", { name: "Test LDAP Connection", exact: true }).click();
  const unsaved = page.getByRole("dialog", { name: "Test LDAP Connection (unsaved settings)" });
  await unsaved.getByLabel("Test Username").fill("test_user_2@kasm.core");
  await unsaved.getByRole("button", { name: "Run Test" }).click();
  await expect(unsaved.getByTestId("ldap-test-report")).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press("Escape");

  // Changing the URL without retyping the password is refused: the secret is not sent elsewhere.
  await page.getByLabel("URL", { exact: true }).fill("ldaps://127.0.0.1:6360");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Type the Service Account Password again")).toBeVisible();

  for (const path of ["/admin/audit", "/admin/groups", "/admin/users", "/admin/authentication/ldap"]) await page.goto(path);

  const leaks = bodies.filter(({ body }) => body.includes(secret));
  expect(bodies.length).toBeGreaterThan(10);
  expect(leaks.map((leak) => leak.url)).toEqual([]);

  const [row] = queryAll<{ secret: string }>("SELECT serviceAccountPasswordEncrypted AS secret FROM LdapConfig WHERE name = ?", configName);
  expect(row?.secret).toMatch(/^v1:/);
  expect(row?.secret).not.toContain(secret);
  const audit = queryAll<{ details: string }>("SELECT details FROM AuditEvent");
  expect(audit.some((event) => event.details.includes(secret))).toBe(false);

  await deleteLdapConfiguration(page, configName);
});
