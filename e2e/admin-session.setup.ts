import { test as setup } from "./fixtures";
import { ADMIN_SESSION_FILE } from "./support/test-server";

/**
 * Signs the suite's administrator in once, through the form, and stores the session for the
 * `adminPage` fixture. The session stays valid while the account exists, is enabled and is in
 * Administrators (every request reads the role again) and nobody ends it: signing out on an
 * `adminPage` would end it for every spec after, so tests that sign out sign in first.
 */
setup("the administrator's session is stored for the specs", async ({ loginPage, page }) => {
  await loginPage.signInAsAdmin();
  await page.context().storageState({ path: ADMIN_SESSION_FILE });
});
