import { test as base, directorySetup, expect, LoginPage, type Page, USER_THROTTLE_LIMIT } from "./fixtures";
import { AuthenticatorApp } from "./support/totp-codes";
import { callServerAction } from "./support/server-actions";
import { addVirtualAuthenticator, byHostName, registerWithScript } from "./support/virtual-authenticator";

/**
 * Two-factor sign-in on Samba AD and OpenLDAP: "Require Two-Factor" on LDAP Group 1 (resolved by
 * group priority) makes test_user_1 enrol an authenticator app at the next sign-in, before any
 * page; from then on every sign-in of that account, however the login is typed, asks for the
 * second factor, and only the second step opens a session. Wrong, replayed and spent codes are
 * refused, the half-signed-in state lasts five minutes and has a brake of its own. The Profile
 * manages the user's own factors (passkeys through Chromium's virtual authenticator), and an
 * administrator's reset on the Users page makes the next sign-in enrol again. test_user_2, not
 * in the group, signs in with the password alone until they add a factor themselves.
 */
const LDAP_GROUP_1 = "LDAP Group 1";
const EXEMPT_GROUP = "Two-Factor Exempt";
const ALTERNATE_DOMAIN = "tfa.example";
const REQUIRE_TWO_FACTOR = "require_two_factor";

const SECOND_STEP_ACTIONS = "app/(auth)/login/second-factor/actions.ts";
const CODE_FIELD = "Code from your app, or a recovery code";
const MESSAGES = {
  wrong: "That code is not right.",
  replayed: "That code was used already.",
  expired: "Your sign-in took too long. Sign in again.",
  enrolCode: "That code does not match the key.",
  throttled: "Too many wrong codes.",
  lastRequired: "Your groups require a second factor: add another one before you remove this one.",
};

/** Browsers of their own (a context each), closed after the test; `byName` browses the portal as localhost. */
const test = base.extend<{ openBrowser: (options?: { byName?: boolean }) => Promise<Page> }>({
  openBrowser: async ({ browser, baseURL }, provide) => {
    const pages: Page[] = [];
    await provide(async ({ byName = false } = {}) => {
      const context = await browser.newContext({ baseURL: byName ? byHostName(baseURL!) : baseURL! });
      const page = await context.newPage();
      pages.push(page);
      return page;
    });
    for (const page of pages) await page.context().close();
  },
});

test.describe.configure({ mode: "serial" });

/** Signs in with the password and waits for what follows: the second step or the portal. */
async function signInWithPassword(page: Page, login: string, password: string) {
  await new LoginPage(page).signIn(login, password);
  await page.waitForURL((url) => url.pathname !== "/login");
}

/** The browser has no session: a portal page sends it to sign in (asked without following redirects). */
async function expectNoSession(page: Page) {
  const response = await page.request.get("/profile", { maxRedirects: 0 });
  expect(response.status(), "a signed-in /profile would answer 200").toBe(307);
  expect(response.headers().location).toMatch(/\/login\?callbackUrl=%2Fprofile$/);
}

/** What the second step's page does once a factor checked out, done before: NextAuth's answer (its error). */
async function askForSessionEarly(page: Page): Promise<string | null> {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/second-factor", {
    form: { csrfToken, callbackUrl: "/", json: "true" },
    headers: { "X-Auth-Return-Redirect": "1" },
    maxRedirects: 0,
  });
  const { url } = (await response.json()) as { url: string };
  return new URL(url).searchParams.get("error");
}

async function expectSecondStep(page: Page, login: string) {
  await expect(page).toHaveURL(/\/login\/second-factor/);
  await expect(page.getByRole("heading", { name: "Second factor" })).toBeVisible();
  await expect(page.getByText(`Signing in as ${login.toLowerCase()}.`)).toBeVisible();
}

async function enterCode(page: Page, code: string, label = CODE_FIELD) {
  await page.getByLabel(label, { exact: true }).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

async function expectProfile(page: Page) {
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole("heading", { name: "Profile", level: 1 })).toBeVisible();
}

/** The second step with the app's next code; the portal opens the session and the Profile. */
async function verifyWithApp(page: Page, app: AuthenticatorApp) {
  const { code, step } = await app.nextCode();
  await enterCode(page, code);
  await expectProfile(page);
  app.accepted(step);
}

for (const name of ["samba", "openldap"] as const)
  test.describe(`two-factor sign-in on ${name}`, () => {
    const setup = directorySetup(name);
    const CONFIG = `${name} two-factor`;
    const password = setup.env.users.test_user_1!.password;
    const user1 = "test_user_1@kasm.core";
    const user2 = "test_user_2@kasm.core";
    /** test_user_1's app (enrolled at the first sign-in) and the recovery codes it came with. */
    let app: AuthenticatorApp;
    let recoveryCodes: string[] = [];
    let user1Id: string;

    test.beforeAll(async ({ database, asAdministrator }) => {
      await database.deleteLdapUsers();
      await database.deleteGroupNamed(LDAP_GROUP_1);
      await database.deleteGroupNamed(EXEMPT_GROUP);
      await database.deleteLdapConfigs();
      await database.clearLoginThrottle();
      await asAdministrator(({ ldapConfigsPage }) =>
        ldapConfigsPage.create(CONFIG, setup, { alternateDomains: ALTERNATE_DOMAIN }),
      );
      await database.createMappedGroup(LDAP_GROUP_1, 10, [setup.env.groups.kasm_group_1!], CONFIG);
    });

    test.afterAll(async ({ database }) => {
      // Deleting the accounts deletes their factors, recovery codes and half-finished sign-ins.
      await database.deleteLdapUsers();
      await database.deleteGroupNamed(LDAP_GROUP_1);
      await database.deleteGroupNamed(EXEMPT_GROUP);
      await database.deleteLdapConfigs();
      await database.clearLoginThrottle();
    });

    test("without Require Two-Factor, test_user_1 signs in with the password alone", async ({ openBrowser }) => {
      const page = await openBrowser();
      await signInWithPassword(page, user1, password);
      await expectProfile(page);
      await expect(page.getByText("A second factor at sign-in is optional for you")).toBeVisible();
    });

    test("Require Two-Factor is set on LDAP Group 1 and resolved by priority: the lowest priority number wins", async ({
      database,
      adminPage,
      openBrowser,
    }) => {
      if (name === "samba") {
        // Through the group form: the checkbox stores require_two_factor=true.
        await adminPage.goto("/admin/groups");
        await adminPage.getByRole("link", { name: `Edit ${LDAP_GROUP_1}` }).click();
        const checkbox = adminPage.getByRole("checkbox", { name: /Require Two-Factor/ });
        await expect(checkbox).not.toBeChecked();
        await checkbox.check();
        await adminPage.getByRole("button", { name: "Save changes" }).click();
        await expect(adminPage).toHaveURL(/\/admin\/groups\?notice=/);
        await adminPage.getByRole("link", { name: `Edit ${LDAP_GROUP_1}` }).click();
        await expect(adminPage.getByRole("checkbox", { name: /Require Two-Factor/ })).toBeChecked();
      } else {
        await database.setGroupSetting(LDAP_GROUP_1, REQUIRE_TWO_FACTOR, "true");
      }
      expect(await database.groupSettings(LDAP_GROUP_1)).toEqual([{ key: REQUIRE_TWO_FACTOR, value: "true" }]);

      // A group of priority 20 that says "false" loses to LDAP Group 1 (10): the second step is due.
      const dn = setup.env.groups.kasm_group_1!;
      await database.createMappedGroup(EXEMPT_GROUP, 20, [dn], CONFIG);
      await database.setGroupSetting(EXEMPT_GROUP, REQUIRE_TWO_FACTOR, "false");
      const required = await openBrowser();
      await signInWithPassword(required, user1, password);
      await expect(required.getByRole("heading", { name: "Set up a second factor" })).toBeVisible();
      await expectNoSession(required);

      // The same group at priority 5 wins over LDAP Group 1: the password alone opens the session.
      await database.deleteGroupNamed(EXEMPT_GROUP);
      await database.createMappedGroup(EXEMPT_GROUP, 5, [dn], CONFIG);
      await database.setGroupSetting(EXEMPT_GROUP, REQUIRE_TWO_FACTOR, "false");
      const exempt = await openBrowser();
      await signInWithPassword(exempt, user1, password);
      await expectProfile(exempt);
      await database.deleteGroupNamed(EXEMPT_GROUP);
    });

    test("test_user_2, not in LDAP Group 1, signs in with the password alone", async ({ openBrowser }) => {
      const page = await openBrowser();
      await signInWithPassword(page, user2, password);
      await expectProfile(page);
    });

    test("test_user_1 must enrol before reaching any page: QR code and key, a first code, ten recovery codes shown once", async ({
      openBrowser,
      database,
    }) => {
      user1Id = await database.userId(user1);
      const sessionsBefore = (await database.sessionsOfUser(user1)).length;
      const page = await openBrowser();
      await signInWithPassword(page, user1, password);
      await expect(page).toHaveURL(/\/login\/second-factor/);
      await expect(page.getByRole("heading", { name: "Set up a second factor" })).toBeVisible();
      const qrCode = page.getByRole("img", { name: "QR code of the key for your authenticator app" });
      await expect(qrCode).toHaveAttribute("src", /^data:image\/png;base64,/);
      const shownKey = (await page.getByTestId("totp-secret").textContent())!;
      expect(shownKey).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
      app = new AuthenticatorApp(shownKey);

      // Half signed in: no page of the portal, no session.
      await page.goto("/profile");
      await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fprofile$/);
      await expectNoSession(page);
      // Back at the second step, the same key is offered.
      await page.goto("/login/second-factor");
      await expect(page.getByTestId("totp-secret")).toHaveText(shownKey);

      await page.getByLabel("Name", { exact: true }).fill("Phone");
      await page.getByLabel("Code from the app", { exact: true }).fill(app.wrongCode());
      await page.getByRole("button", { name: "Confirm app" }).click();
      await expect(page.getByText(MESSAGES.enrolCode)).toBeVisible();

      const { code, step } = await app.nextCode();
      await page.getByLabel("Code from the app", { exact: true }).fill(code);
      await page.getByRole("button", { name: "Confirm app" }).click();
      const list = page.getByRole("list", { name: "Recovery codes" });
      await expect(list.getByRole("listitem")).toHaveCount(10);
      app.accepted(step);
      recoveryCodes = await list.getByRole("listitem").allTextContents();
      expect(new Set(recoveryCodes).size).toBe(10);
      // The factor is confirmed, the session not issued yet: that is the next request's.
      await expectNoSession(page);
      expect(await database.sessionsOfUser(user1)).toHaveLength(sessionsBefore);

      await page.getByRole("button", { name: "Continue" }).click();
      await expectProfile(page);
      await expect(page.getByText("Your groups require a second factor at sign-in.")).toBeVisible();
      await expect(page.getByTestId("factor-row")).toHaveCount(1);
      await expect(page.getByTestId("factor-row")).toContainText("Phone");
      await expect(page.getByTestId("recovery-codes-left")).toHaveText("10 of 10 recovery codes left.");
      expect(await database.sessionsOfUser(user1)).toHaveLength(sessionsBefore + 1);

      const stored = await database.secondFactorsOf(user1);
      expect(stored.factors.map(({ kind, name }) => ({ kind, name }))).toEqual([{ kind: "totp", name: "Phone" }]);
      expect(stored.recoveryCodesLeft).toBe(10);
      expect(stored.resetAt).toBeNull();
      // Stored hashed: no stored value shows a code, with or without its dashes.
      const hashes = (await database.storedRecoveryCodesOf(user1)).map((row) => row.hash);
      expect(hashes).toHaveLength(10);
      for (const recoveryCode of recoveryCodes) {
        expect(hashes).not.toContain(recoveryCode);
        expect(hashes.join(" ")).not.toContain(recoveryCode.replace(/-/g, ""));
      }
    });

    test("every sign-in of test_user_1 asks for the app's code, however the login is typed: one account, one factor", async ({
      openBrowser,
      database,
    }) => {
      for (const login of [`test_user_1@${ALTERNATE_DOMAIN}`, "TEST_USER_1@KASM.CORE"]) {
        const page = await openBrowser();
        await signInWithPassword(page, login, password);
        await expectSecondStep(page, login);
        // An app and no passkey: the code field, no passkey button.
        await expect(page.getByRole("button", { name: "Use a passkey" })).toHaveCount(0);
        await expectNoSession(page);
        if (login.endsWith(ALTERNATE_DOMAIN)) {
          // The code that confirmed the app at enrolment was spent there.
          await enterCode(page, app.lastCode());
          await expect(page.getByText(MESSAGES.replayed)).toBeVisible();
        }
        await verifyWithApp(page, app);
        expect(await database.userId(login.toLowerCase()), login).toBe(user1Id);
      }
      expect(
        (await database.ldapAccounts()).filter((account) => account.username.startsWith("test_user_1")),
      ).toHaveLength(1);
      const { factors } = await database.secondFactorsOf(user1);
      expect(factors).toHaveLength(1);
      expect(factors[0]!.lastUsedAt).not.toBeNull();
    });

    test("a recovery code signs in once; a second use is refused", async ({ openBrowser, database }) => {
      const first = await openBrowser();
      await signInWithPassword(first, user1, password);
      await expectSecondStep(first, user1);
      await enterCode(first, recoveryCodes[0]!);
      await expectProfile(first);
      await expect(first.getByTestId("recovery-codes-left")).toHaveText("9 of 10 recovery codes left.");

      const second = await openBrowser();
      await signInWithPassword(second, user1, password);
      await expectSecondStep(second, user1);
      await enterCode(second, recoveryCodes[0]!);
      await expect(second.getByText(MESSAGES.wrong)).toBeVisible();
      await expectNoSession(second);
      // Another code, typed in lower case without its dashes, is one of the user's.
      await enterCode(second, recoveryCodes[1]!.toLowerCase().replace(/-/g, ""));
      await expectProfile(second);
      expect((await database.secondFactorsOf(user1)).recoveryCodesLeft).toBe(8);
    });

    test("the half-signed-in state lasts five minutes", async ({ openBrowser, database }) => {
      const page = await openBrowser();
      await signInWithPassword(page, user1, password);
      await expectSecondStep(page, user1);
      const cookie = (await page.context().cookies()).find((candidate) => candidate.name.endsWith("second-step"));
      expect(cookie?.httpOnly).toBe(true);
      expect(Math.abs(cookie!.expires - (Date.now() / 1000 + 300))).toBeLessThan(30);

      // Six minutes later even a good code is too late (and stays unused).
      await database.ageSignInChallenges(user1, 6);
      await enterCode(page, recoveryCodes[2]!);
      await expect(page.getByText(MESSAGES.expired)).toBeVisible();
      await expectNoSession(page);
      expect((await database.secondFactorsOf(user1)).recoveryCodesLeft).toBe(8);
      await page.reload();
      await expect(page.getByRole("heading", { name: "Sign in again" })).toBeVisible();
    });

    test("a wrong code and a replayed code are refused and open no session", async ({ openBrowser, database }) => {
      const first = await openBrowser();
      await signInWithPassword(first, user1, password);
      await expectSecondStep(first, user1);
      // Asking NextAuth for the session before the second step gets none.
      expect(await askForSessionEarly(first)).toBe(MESSAGES.expired);
      await expectNoSession(first);
      await verifyWithApp(first, app);

      const second = await openBrowser();
      await signInWithPassword(second, user1, password);
      await expectSecondStep(second, user1);
      await enterCode(second, app.wrongCode());
      await expect(second.getByText(MESSAGES.wrong)).toBeVisible();
      await expectNoSession(second);
      // The code the other browser just signed in with.
      await enterCode(second, app.lastCode());
      await expect(second.getByText(MESSAGES.replayed)).toBeVisible();
      await expectNoSession(second);
      // The refusals do not end the second step: another factor still signs in.
      await enterCode(second, recoveryCodes[3]!);
      await expectProfile(second);

      const outcomes = (await database.auditEvents("login"))
        .filter((event) => event.action === "login.second_factor" && event.target === user1)
        .slice(0, 4)
        .map((event) => {
          const details = JSON.parse(event.details) as { factor?: string; reason?: string };
          return [event.outcome, details.factor ?? details.reason];
        });
      expect(outcomes).toEqual([
        ["success", "recovery_code"],
        ["failure", "replayed_code"],
        ["failure", "wrong_code"],
        ["success", "totp"],
      ]);
    });

    test("wrong codes meet a brake of their own; the password still reaches the second step", async ({
      openBrowser,
      database,
      httpLogin,
    }) => {
      test.skip(name !== "samba", "the brake is the same on every directory");
      const page = await openBrowser();
      await signInWithPassword(page, user1, password);
      await expectSecondStep(page, user1);
      const verify = page.getByRole("button", { name: "Verify" });
      const refusal = page.locator("#code-error");
      const submitWrongCode = async () => {
        await page.getByLabel(CODE_FIELD, { exact: true }).fill(app.wrongCode());
        const answered = page.waitForResponse(
          (response) =>
            response.request().method() === "POST" && new URL(response.url()).pathname === "/login/second-factor",
        );
        await verify.click();
        await answered;
        await expect(verify).toBeEnabled();
      };
      try {
        // LOGIN_THROTTLE_USER_LIMIT wrong codes are each told they are wrong; the next waits.
        for (let attempt = 1; attempt <= USER_THROTTLE_LIMIT; attempt += 1) await submitWrongCode();
        await expect(refusal).toContainText(MESSAGES.wrong);
        await submitWrongCode();
        await expect(refusal).toContainText(MESSAGES.throttled);
        // The password's brake is another: the password still reaches the second step.
        expect((await httpLogin(user1, password)).error).toBe("second_factor_due");
      } finally {
        await database.clearLoginThrottle();
      }
    });

    test("the password alone adds no factor: the second step of a user who has one enrols none", async ({
      openBrowser,
      database,
    }) => {
      const before = await database.secondFactorsOf(user1);
      const page = await openBrowser({ byName: true });
      await addVirtualAuthenticator(page);
      await signInWithPassword(page, user1, password);
      await expectSecondStep(page, user1);

      // The enrolment's actions are in the page's bundle: a script calls them instead of the UI.
      const registration = await callServerAction<{ ok: boolean }>(
        page,
        SECOND_STEP_ACTIONS,
        "passkeyRegistrationOptionsAction",
      );
      expect.soft(registration.ok, "passkey registration options at a second step that is no enrolment").toBe(false);
      // The sign-in's passkey challenge, answered with a new credential of the intruder's.
      const signIn = await callServerAction<{ ok: boolean; data: { challenge: string } }>(
        page,
        SECOND_STEP_ACTIONS,
        "passkeySignInOptionsAction",
      );
      expect(signIn.ok).toBe(true);
      const response = await registerWithScript(page, {
        challenge: signIn.data.challenge,
        rp: { name: "LDAP Portal", id: "localhost" },
        user: { id: "aW50cnVkZXI", name: "intruder", displayName: "intruder" },
        pubKeyCredParams: [{ alg: -7, type: "public-key" }],
        authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
        attestation: "none",
      });
      const enrolled = await callServerAction<{ ok: boolean }>(page, SECOND_STEP_ACTIONS, "enrolPasskeyAction", {
        response,
        name: "Intruder",
      });
      expect.soft(enrolled.ok, "a passkey enrolled at a second step that is no enrolment").toBe(false);

      expect(await askForSessionEarly(page), "NextAuth's answer to the second step's session request").toBe(
        MESSAGES.expired,
      );
      await expectNoSession(page);
      const after = await database.secondFactorsOf(user1);
      expect(after.factors.map((factor) => factor.name)).toEqual(before.factors.map((factor) => factor.name));
      expect(after.recoveryCodesLeft).toBe(before.recoveryCodesLeft);
    });

    test("test_user_2 adds an app on their Profile, is then asked for it, and may remove it", async ({
      openBrowser,
    }) => {
      const page = await openBrowser();
      await signInWithPassword(page, user2, password);
      await expectProfile(page);
      await expect(page.getByText("A second factor at sign-in is optional for you")).toBeVisible();
      await page.getByRole("button", { name: "Add authenticator app" }).click();
      const own = new AuthenticatorApp((await page.getByTestId("totp-secret").textContent())!);
      await page.getByLabel("Name", { exact: true }).fill("Tablet");
      const { code, step } = await own.nextCode();
      await page.getByLabel("Code from the app", { exact: true }).fill(code);
      await page.getByRole("button", { name: "Confirm app" }).click();
      await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
      own.accepted(step);
      await page.getByRole("button", { name: "Done" }).click();
      await expect(page.getByTestId("factor-row")).toContainText("Tablet");

      const next = await openBrowser();
      await signInWithPassword(next, user2, password);
      await expectSecondStep(next, user2);
      await verifyWithApp(next, own);
      await next.getByRole("button", { name: "Remove Tablet (Authenticator app)" }).click();
      await expect(next.getByText("No second factor yet.")).toBeVisible();

      const last = await openBrowser();
      await signInWithPassword(last, user2, password);
      await expectProfile(last);
    });

    test("test_user_1 adds a passkey on the Profile, renames it, removes the app, renews the recovery codes and signs in with the passkey", async ({
      openBrowser,
      database,
    }) => {
      const page = await openBrowser({ byName: true });
      const authenticator = await addVirtualAuthenticator(page);
      await signInWithPassword(page, user1, password);
      await expectSecondStep(page, user1);
      await verifyWithApp(page, app);

      // The only factor of a user whose groups require one stays.
      await page.getByRole("button", { name: "Remove Phone (Authenticator app)" }).click();
      await expect(page.getByText(MESSAGES.lastRequired)).toBeVisible();
      await expect(page.getByTestId("factor-row")).toHaveCount(1);

      await page.getByRole("button", { name: "Add passkey" }).click();
      await expect(page.getByTestId("factor-row")).toHaveCount(2);
      expect(await authenticator.credentials()).toHaveLength(1);
      await page.getByRole("button", { name: "Rename Passkey (Passkey)" }).click();
      await page.getByLabel("New name for Passkey (Passkey)").fill("Laptop");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await expect(page.getByRole("button", { name: "Rename Laptop (Passkey)" })).toBeVisible();

      await page.getByRole("button", { name: "Remove Phone (Authenticator app)" }).click();
      await expect(page.getByTestId("factor-row")).toHaveCount(1);
      await expect(page.getByTestId("factor-row")).toContainText("Laptop");

      await page.getByRole("button", { name: "New recovery codes" }).click();
      const list = page.getByRole("list", { name: "Recovery codes" });
      await expect(list.getByRole("listitem")).toHaveCount(10);
      const renewed = await list.getByRole("listitem").allTextContents();
      expect(renewed).not.toContain(recoveryCodes[2]);
      await page.getByRole("button", { name: "Done" }).click();
      await expect(page.getByTestId("recovery-codes-left")).toHaveText("10 of 10 recovery codes left.");
      recoveryCodes = renewed;

      const stored = await database.secondFactorsOf(user1);
      expect(stored.factors.map(({ kind, name }) => ({ kind, name }))).toEqual([{ kind: "passkey", name: "Laptop" }]);

      // A new sign-in on the same device (same authenticator, no cookies): the passkey answers.
      await page.context().clearCookies();
      await signInWithPassword(page, user1, password);
      await expectSecondStep(page, user1);
      await expect(page.getByLabel("Recovery code", { exact: true })).toBeVisible();
      await page.getByRole("button", { name: "Use a passkey" }).click();
      await expectProfile(page);
      expect((await database.secondFactorsOf(user1)).factors[0]!.lastUsedAt).not.toBeNull();
    });

    test("an administrator sees test_user_1's factors and resets them (audited); the next sign-in enrols again", async ({
      usersPage,
      adminPage,
      openBrowser,
      database,
    }) => {
      await usersPage.open(user1);
      const card = adminPage.getByRole("region", { name: "Two-factor sign-in" });
      await expect(card.getByTestId("admin-factor")).toHaveCount(1);
      await expect(card.getByTestId("admin-factor")).toContainText("Laptop (Passkey)");
      await expect(card.getByText("10 of 10 recovery codes left.")).toBeVisible();
      await card.getByRole("button", { name: "Reset two-factor" }).click();
      const dialog = adminPage.getByRole("dialog", { name: `Reset two-factor for ${user1}?` });
      await dialog.getByRole("button", { name: "Reset", exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(card.getByText("the next sign-in enrols one")).toBeVisible();

      const [reset] = (await database.auditEvents("user")).filter(
        (event) => event.action === "user.second_factor_reset",
      );
      expect(reset).toMatchObject({ target: user1, outcome: "success" });
      const stored = await database.secondFactorsOf(user1);
      expect(stored.factors).toEqual([]);
      expect(stored.recoveryCodesLeft).toBe(0);
      expect(stored.resetAt).not.toBeNull();

      // The next sign-in enrols before any page: here a passkey, on a device of its own.
      const page = await openBrowser({ byName: true });
      await addVirtualAuthenticator(page);
      await signInWithPassword(page, user1, password);
      await expect(page.getByRole("heading", { name: "Set up a second factor" })).toBeVisible();
      await expectNoSession(page);
      await page.getByRole("button", { name: "Set up a passkey" }).click();
      const list = page.getByRole("list", { name: "Recovery codes" });
      await expect(list.getByRole("listitem")).toHaveCount(10);
      const fresh = await list.getByRole("listitem").allTextContents();
      await page.getByRole("button", { name: "Continue" }).click();
      await expectProfile(page);
      expect((await database.secondFactorsOf(user1)).resetAt).toBeNull();

      // What was reset is gone: a recovery code of before is refused, one of the new ones works.
      const other = await openBrowser();
      await signInWithPassword(other, user1, password);
      await expectSecondStep(other, user1);
      await enterCode(other, recoveryCodes[3]!, "Recovery code");
      await expect(other.getByText(MESSAGES.wrong)).toBeVisible();
      await enterCode(other, fresh[0]!, "Recovery code");
      await expectProfile(other);
    });
  });
