import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

/**
 * A passkey for the browser tests: Chromium's virtual authenticator (DevTools protocol), a
 * platform authenticator that verifies its user and keeps discoverable credentials. It belongs
 * to the page: its credentials stay while the page lives, whatever happens to the cookies.
 */
export async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return {
    /** The credentials the authenticator holds (one per passkey registered with it). */
    async credentials() {
      return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
    },
  };
}

/**
 * WebAuthn refuses an IP address as relying party id: passkey tests browse the portal by name.
 * Cookies are per host, so such a test also signs in on that origin.
 */
export const byHostName = (baseURL: string) => baseURL.replace("127.0.0.1", "localhost");

/**
 * Creates a credential on the page's authenticator for `optionsJSON` as @simplewebauthn/browser
 * does (its bundle is evaluated in the page, outside the page's own scripts), and answers the
 * registration response JSON the portal's actions take.
 */
export async function registerWithScript(page: Page, optionsJSON: unknown): Promise<unknown> {
  const bundle = fs.readFileSync(
    path.resolve("node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js"),
    "utf8",
  );
  await page.evaluate(bundle);
  return page.evaluate(
    (options) =>
      (
        globalThis as unknown as {
          SimpleWebAuthnBrowser: { startRegistration: (input: { optionsJSON: unknown }) => Promise<unknown> };
        }
      ).SimpleWebAuthnBrowser.startRegistration({ optionsJSON: options }),
    optionsJSON,
  );
}
