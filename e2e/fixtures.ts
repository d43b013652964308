import { test as base, type Browser, type Page } from "@playwright/test";
import { httpLogin, type HttpLoginResult } from "./support/http-login";
import { GroupsPage } from "./support/pages/groups-page";
import { LdapConfigurationsPage } from "./support/pages/ldap-configurations-page";
import { LoginPage } from "./support/pages/login-page";
import { UsersPage } from "./support/pages/users-page";
import type * as PortalDatabaseModule from "./support/portal-database";
import { ADMIN_SESSION_FILE } from "./support/test-server";

/**
 * What the browser tests import: Playwright's `test` and `expect` with the portal's fixtures.
 *
 * - `page` is anonymous; `loginPage` is the sign-in form on it.
 * - `adminPage` is signed in as the suite's administrator through the session stored once by
 *   e2e/admin-session.setup.ts (no sign-in per test); `ldapConfigsPage`, `groupsPage` and
 *   `usersPage` are the admin pages on it. Tests about signing in itself use `loginPage`.
 * - `signInElsewhere` signs someone in through the form in a browser context of their own.
 * - `database` arranges and inspects data through lib/db (e2e/support/portal-database.ts).
 * - `asAdministrator` opens the stored administrator session where no test fixture exists
 *   (beforeAll hooks).
 */

/** The admin pages on one signed-in administrator page. */
export interface AdminPages {
  page: Page;
  ldapConfigsPage: LdapConfigurationsPage;
  groupsPage: GroupsPage;
  usersPage: UsersPage;
}

interface TestFixtures {
  loginPage: LoginPage;
  adminPage: Page;
  ldapConfigsPage: LdapConfigurationsPage;
  groupsPage: GroupsPage;
  usersPage: UsersPage;
  /** Signs in through the form in a fresh browser context (closed after the test); the page shows the result. */
  signInElsewhere: (username: string, password: string) => Promise<Page>;
  /** A sign-in over plain HTTP, as a script would make it, against the test server. */
  httpLogin: (username: string, password: string) => Promise<HttpLoginResult>;
}

interface WorkerFixtures {
  database: PortalDatabase;
  asAdministrator: <T>(work: (admin: AdminPages) => Promise<T>) => Promise<T>;
}

function adminPagesOn(page: Page): AdminPages {
  return {
    page,
    ldapConfigsPage: new LdapConfigurationsPage(page),
    groupsPage: new GroupsPage(page),
    usersPage: new UsersPage(page),
  };
}

/** A page in a new context with the stored administrator session (the test's `use` options apply). */
async function openAdminSession(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: ADMIN_SESSION_FILE });
  return context.newPage();
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  loginPage: async ({ page }, provide) => {
    await provide(new LoginPage(page));
  },

  adminPage: async ({ browser }, provide) => {
    const page = await openAdminSession(browser);
    await provide(page);
    await page.context().close();
  },
  ldapConfigsPage: async ({ adminPage }, provide) => {
    await provide(new LdapConfigurationsPage(adminPage));
  },
  groupsPage: async ({ adminPage }, provide) => {
    await provide(new GroupsPage(adminPage));
  },
  usersPage: async ({ adminPage }, provide) => {
    await provide(new UsersPage(adminPage));
  },

  signInElsewhere: async ({ browser }, provide) => {
    const pages: Page[] = [];
    await provide(async (username, password) => {
      const page = await (await browser.newContext()).newPage();
      pages.push(page);
      await new LoginPage(page).signIn(username, password);
      return page;
    });
    for (const page of pages) await page.context().close();
  },

  httpLogin: async ({ baseURL }, provide) => {
    await provide((username, password) => httpLogin(baseURL!, username, password));
  },

  database: [
    async ({}, provide) => {
      // Imported here, in the worker: lib/db needs the react-server condition the workers run
      // with, which the runner process that lists the tests does not have.
      const database = await import("./support/portal-database");
      await provide(database);
      await database.disconnect();
    },
    { scope: "worker" },
  ],

  asAdministrator: [
    async ({ browser }, provide) => {
      await provide(async (work) => {
        const page = await openAdminSession(browser);
        try {
          return await work(adminPagesOn(page));
        } finally {
          await page.context().close();
        }
      });
    },
    { scope: "worker" },
  ],
});

/** The `database` fixture: lib/db calls for arranging and inspecting data. */
export type PortalDatabase = typeof PortalDatabaseModule;

export { expect, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
export { directorySetup, withDirectoryAdmin, type DirectorySetup } from "./support/directories";
export { GroupsPage, LdapConfigurationsPage, LoginPage, UsersPage };
export { ADMIN, TEST_DATA_DIR, TEST_DATABASE_URL, USER_THROTTLE_LIMIT } from "./support/test-server";
