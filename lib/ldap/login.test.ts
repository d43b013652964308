import { describe, expect, it } from "vitest";
import { LOGIN_MAX_LENGTH, LOGIN_USER_MAX_LENGTH, hasControlCharacters, parseLogin } from "./login";

describe("parseLogin", () => {
  it.each([
    ["test_user_1@kasm.core", { login: "test_user_1@kasm.core", user: "test_user_1", domain: "kasm.core" }],
    ["  Test_User_1@KASM.core\t", { login: "test_user_1@kasm.core", user: "test_user_1", domain: "kasm.core" }],
    ["jdoe", { login: "jdoe", user: "jdoe" }],
    ["JÖHN", { login: "jöhn", user: "jöhn" }],
    ["İ", { login: "i̇", user: "i̇" }], // toLowerCase, not a Turkish locale's "i"
    ["a".repeat(LOGIN_USER_MAX_LENGTH), { login: "a".repeat(256), user: "a".repeat(256) }],
    [
      `${"a".repeat(256)}@${"b".repeat(63)}`,
      { login: `${"a".repeat(256)}@${"b".repeat(63)}`, user: "a".repeat(256), domain: "b".repeat(63) },
    ],
  ])("%j", (raw, value) => {
    expect(parseLogin(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ["", "empty_user", "Enter a username", undefined],
    ["   ", "empty_user", "Enter a username", undefined],
    ["@kasm.core", "empty_user", "Enter a username", undefined],
    ["@", "empty_user", "Enter a username", undefined],
    ["a@b@c", "double_at", "A username contains at most one @", 3],
    ["@@", "double_at", "A username contains at most one @", 1],
    ["user@@kasm.core", "double_at", "A username contains at most one @", 5],
    ["john doe", "whitespace", "A username cannot contain spaces", 4],
    ["john\u00a0doe", "whitespace", "A username cannot contain spaces", 4],
    ["jo\0hn", "control_characters", "A username cannot contain control characters", 2],
    [" jo\u007fhn", "control_characters", "A username cannot contain control characters", 3],
    ["jo\u0085hn", "control_characters", "A username cannot contain control characters", 2],
    ["jo\thn", "control_characters", "A username cannot contain control characters", 2],
    ["user@", "empty_domain", "Enter the domain after @", undefined],
    ["a".repeat(257), "too_long", "A username is at most 256 characters (320 with the domain)", undefined],
    [
      `a@${"b".repeat(LOGIN_MAX_LENGTH - 1)}`,
      "too_long",
      "A username is at most 256 characters (320 with the domain)",
      undefined,
    ],
  ])("%j -> %s", (raw, code, message, position) => {
    expect(parseLogin(raw)).toEqual({
      ok: false,
      error: position === undefined ? { code, message } : { code, message, position },
    });
  });
});

describe("hasControlCharacters", () => {
  it.each(["\u0000", "a\u0001", "\t", "\n", "\u001f", "\u007f", "\u0080", "x\u009f"])("%j is refused", (text) => {
    expect(hasControlCharacters(text)).toBe(true);
  });

  it.each(["Test-Password-123", "with spaces", "Pässwörd ✓", "\u00a0nbsp", "emoji 🔑"])("%j is allowed", (text) => {
    expect(hasControlCharacters(text)).toBe(false);
  });
});
