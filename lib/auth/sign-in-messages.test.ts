import { describe, expect, it } from "vitest";
import { signInMessageFor, SIGN_IN_MESSAGES, throttledMessage } from "./sign-in-messages";

describe("signInMessageFor", () => {
  it("never tells an end user whether the account exists", () => {
    for (const code of ["invalid_credentials", "user_not_found", "ad_user_not_found", "user_not_allowed"] as const) {
      expect(signInMessageFor(code)).toBe("Invalid username or password");
    }
  });

  it("a refused attempt says so neutrally (the caller may say more)", () => {
    expect(signInMessageFor("attempt_refused")).toBe("Too many attempts for this account. Try again later.");
  });

  it("says the directory is unavailable for connection failures", () => {
    expect(signInMessageFor("connection_refused")).toBe("The directory is unavailable, please try again later");
    expect(signInMessageFor("timeout")).toBe("The directory is unavailable, please try again later");
  });
});

describe("one message per situation", () => {
  it("gives a disabled directory account and a disabled app account the same words", () => {
    expect(signInMessageFor("account_disabled")).toBe(SIGN_IN_MESSAGES.account_disabled);
    expect(signInMessageFor("account_expired")).toBe(SIGN_IN_MESSAGES.account_disabled);
  });

  it("keeps misconfiguration to itself", () => {
    for (const code of ["service_bind_failed", "invalid_filter", "secret_unreadable", "unknown"] as const) {
      expect(signInMessageFor(code)).toBe("Sign-in is not available right now. Contact your administrator.");
    }
  });

  it("words the brake's wait for people", () => {
    expect(throttledMessage(1)).toBe("Too many failed sign-in attempts. Try again in 1 second.");
    expect(throttledMessage(30)).toBe("Too many failed sign-in attempts. Try again in 30 seconds.");
    expect(throttledMessage(600)).toBe("Too many failed sign-in attempts. Try again in 10 minutes.");
  });
});
