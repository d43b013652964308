import { test as setup } from "./fixtures";
import { ADMIN_SESSION_FILE } from "./support/test-server";

/**
 * Signs the suite's administrator in once, through the form, and stores the session for the
 * `adminPage` fixture. The session stays valid while the account exists, is enabled and is in
 * Administrators: every request reads the role again, signing out only drops a context's cookie.
 */
setup("the administrator's session is stored for the specs", async ({ loginPage, page }) => {
  await loginPage.signInAsAdmin();
  await page.context().storageState({ path: ADMIN_SESSION_FILE });
});
