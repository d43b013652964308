import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/**
 * Every session has a row on the server: signing out ends it for good (the old cookie no longer
 * works), a user ends their other sessions from the Profile, and an administrator ends all of a
 * user's sessions from the Users page. Each takes effect at the session's next page.
 */

const PASSWORD = "Session-Password-1";
let counter = 0;

async function localUser(database: { createLocalUser: (u: string, p: string) => Promise<string> }) {
  const username = `session-${Date.now()}-${++counter}@portal.local`;
  await database.createLocalUser(username, PASSWORD);
  return username;
}

async function signedIn(page: Page) {
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.goto("/profile");
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
}

async function signedOut(page: Page) {
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login/);
}

test("signing out ends the session itself: a copy of its cookie no longer works", async ({
  browser,
  signInElsewhere,
  database,
}) => {
  const username = await localUser(database);
  const page = await signInElsewhere(username, PASSWORD);
  await signedIn(page);
  const cookies = await page.context().cookies();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  expect(await database.sessionsOfUser(username)).toEqual([]);

  const replay = await browser.newContext();
  try {
    await replay.addCookies(cookies);
    await signedOut(await replay.newPage());
  } finally {
    await replay.close();
  }
});

test("Profile: a user signs out their other sessions and keeps this one", async ({ signInElsewhere, database }) => {
  const username = await localUser(database);
  const laptop = await signInElsewhere(username, PASSWORD);
  await signedIn(laptop);
  const phone = await signInElsewhere(username, PASSWORD);
  await signedIn(phone);

  const sessions = phone.getByRole("region", { name: "Sessions" }).getByTestId("session-row");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: "this session" })).toHaveCount(1);
  await phone.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(phone.getByText("1 session ended.")).toBeVisible();
  await expect(sessions).toHaveCount(1);
  await expect(phone.getByRole("button", { name: "Sign out other sessions" })).toBeDisabled();

  await signedOut(laptop);
  await signedIn(phone);
  const [event] = await database.auditEvents("session.sign_out_others");
  expect(event).toMatchObject({ actor: username, target: username, outcome: "success" });
});

test("Users page: an administrator signs a user out everywhere", async ({
  adminPage: page,
  usersPage,
  signInElsewhere,
  database,
}) => {
  const username = await localUser(database);
  const first = await signInElsewhere(username, PASSWORD);
  await signedIn(first);
  const second = await signInElsewhere(username, PASSWORD);
  await signedIn(second);

  await usersPage.open(username);
  const card = page.getByRole("region", { name: "Sessions" });
  await expect(card.getByTestId("session-row")).toHaveCount(2);
  await card.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByText("2 sessions ended.")).toBeVisible();
  await expect(card.getByText("No open sessions.")).toBeVisible();

  await signedOut(first);
  await signedOut(second);
  // The account itself is untouched: the user signs in again.
  const again = await signInElsewhere(username, PASSWORD);
  await signedIn(again);
  const [event] = await database.auditEvents("user.sign_out_everywhere");
  expect(event).toMatchObject({ target: username, outcome: "success" });
  expect(JSON.parse(event!.details)).toMatchObject({ sessions: 2 });
});
