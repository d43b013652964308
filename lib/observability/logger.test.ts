import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, logSettings } from "./logger.mjs";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe("the log", () => {
  it("writes one JSON object per line with level, time and message", () => {
    const { lines, destination } = capture();
    createLogger({ format: "json", level: "info", destination }).info(
      { component: "sign-in", requestId: "r1" },
      "sign-in succeeded",
    );
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "info", component: "sign-in", requestId: "r1", msg: "sign-in succeeded" });
    expect(new Date(line.time).getTime()).toBeGreaterThan(0);
  });

  it("never writes a password, secret, token, cookie or authorization header", () => {
    const { lines, destination } = capture();
    const log = createLogger({ format: "json", level: "info", destination });
    log.info(
      {
        password: "Hunter2-password",
        serviceAccountPassword: "bind-secret-1",
        details: { password: "nested-password", token: "session-token-value" },
        cookie: "next-auth.session-token=abc",
        headers: { authorization: "Bearer scrape-token", cookie: "next-auth.session-token=def" },
        secret: "s3",
      },
      "careless caller",
    );
    const text = lines.join("\n");
    for (const secret of [
      "Hunter2-password",
      "bind-secret-1",
      "nested-password",
      "session-token-value",
      "next-auth.session-token",
      "scrape-token",
      '"s3"',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  it("is readable for people with LOG_FORMAT=pretty", () => {
    const { lines, destination } = capture();
    createLogger({ format: "pretty", level: "info", destination }).warn({ component: "stats", count: 2 }, "kept");
    expect(lines[0]).toMatch(/WARN.*stats: kept/);
    expect(lines.join("\n")).not.toMatch(/^\{/);
  });

  it("drops lines below LOG_LEVEL", () => {
    const { lines, destination } = capture();
    const log = createLogger({ format: "json", level: "warn", destination });
    log.info("quiet");
    log.warn("loud");
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["loud"]);
  });

  it("reads LOG_LEVEL and LOG_FORMAT, JSON by default in production", () => {
    expect(logSettings({ NODE_ENV: "production" })).toEqual({ ok: true, level: "info", format: "json" });
    expect(logSettings({ NODE_ENV: "development" })).toEqual({ ok: true, level: "info", format: "pretty" });
    expect(logSettings({ NODE_ENV: "production", LOG_FORMAT: "pretty", LOG_LEVEL: "DEBUG" })).toEqual({
      ok: true,
      level: "debug",
      format: "pretty",
    });
    expect(logSettings({ LOG_LEVEL: "verbose" })).toEqual({
      ok: false,
      message: expect.stringMatching(/^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/),
    });
    expect(logSettings({ LOG_FORMAT: "xml" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("LOG_FORMAT"),
    });
  });
});
