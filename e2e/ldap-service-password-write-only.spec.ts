import { directorySetup, expect, test } from "./fixtures";

/**
 * The Service Account Password is write-only: after saving, no response (HTML, RSC payload,
 * server action result) ever carries it, and the database holds only ciphertext.
 */
test("the service account password never reaches the browser again and is stored encrypted", async ({
  adminPage: page,
  ldapConfigsPage,
  database,
}) => {
  const setup = directorySetup("samba");
  const secret = setup.env.serviceAccount.password;
  const configName = "Secret scan";
  const bodies: { url: string; body: string }[] = [];
  // Every answer, including the save action's (its request carries the typed password).
  page.on("response", async (response) => {
    const body = await response.text().catch(() => "");
    bodies.push({ url: `${response.request().method()} ${response.url()}`, body });
  });

  await ldapConfigsPage.create(configName, setup, { alternateDomains: "secret-scan.test", enabled: false });

  // Everything an administrator does with the configuration afterwards.
  await page.goto("/admin/authentication/ldap");
  await page.getByRole("link", { name: `Edit ${configName}` }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await expect(page.getByLabel("Service Account Password")).toHaveValue("");
  await expect(page.getByText("A password is stored")).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/saved=/);

  const user1 = setup.env.users.test_user_1!;
  const dialog = await ldapConfigsPage.testConnection(configName, "test_user_1@kasm.core", user1.password);
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

  for (const path of ["/admin/audit", "/admin/groups", "/admin/users", "/admin/authentication/ldap"])
    await page.goto(path);

  const leaks = bodies.filter(({ body }) => body.includes(secret));
  expect(bodies.length).toBeGreaterThan(10);
  expect(leaks.map((leak) => leak.url)).toEqual([]);

  const stored = await database.storedServicePasswordCiphertext(configName);
  expect(stored).toMatch(/^v1:/);
  expect(stored).not.toContain(secret);
  const audit = await database.auditEvents();
  expect(audit.some((event) => event.details.includes(secret))).toBe(false);

  await ldapConfigsPage.delete(configName);
});
