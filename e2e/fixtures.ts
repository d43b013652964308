import {
  test as base,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "@playwright/test";
import { httpLogin, type HttpLoginResult } from "./support/http-login";
import { GroupsPage } from "./support/pages/groups-page";
import { LdapConfigurationsPage } from "./support/pages/ldap-configurations-page";
import { LoginPage } from "./support/pages/login-page";
import { UsersPage } from "./support/pages/users-page";
import type * as PortalDatabaseModule from "./support/portal-database";
import { ADMIN, TEST_BASE_URL } from "./support/test-server";

/**
 * What the browser tests import: Playwright's `test` and `expect` with the portal's fixtures.
 *
 * - `page` is anonymous; `loginPage` is the sign-in form on it.
 * - `adminPage` is signed in as the suite's administrator with a session of its own (one
 *   sign-in over HTTP per test: a test that signs the administrator out, or disables and enables
 *   them, ends no other test's session); `ldapConfigsPage`, `groupsPage` and
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

/** A new context signed in as the suite's administrator, a session of its own (the test's `use` options apply). */
export async function newAdminContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const login = await httpLogin(TEST_BASE_URL, ADMIN.username, ADMIN.password);
  if (!login.sessionCookie) throw new Error(`the suite's administrator cannot sign in: ${login.error ?? login.status}`);
  const separator = login.sessionCookie.indexOf("=");
  const context = await browser.newContext(options);
  await context.addCookies([
    {
      name: login.sessionCookie.slice(0, separator),
      value: login.sessionCookie.slice(separator + 1),
      url: TEST_BASE_URL,
    },
  ]);
  return context;
}

async function openAdminSession(browser: Browser): Promise<Page> {
  return (await newAdminContext(browser)).newPage();
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
