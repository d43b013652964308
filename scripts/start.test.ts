import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// `npm start` refuses a broken setup with one line naming the fix, before it builds or serves.
function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["scripts/start.mjs"], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 30_000 });
}

describe("npm start", () => {
  it("refuses a data directory it cannot write, naming DATA_DIR", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "start-")), "not-a-directory");
    fs.writeFileSync(file, "");
    const result = start({ DATA_DIR: file, DATABASE_URL: "" });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/data directory .* is not writable .*DATA_DIR/);
  });

  it("refuses a DATABASE_URL that is not a SQLite file, without echoing its credentials", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "start-"));
    const result = start({ DATA_DIR: dir, DATABASE_URL: "postgres://portal:s3cret@db.internal/portal" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/DATABASE_URL must be a SQLite file URL such as file:\.\/data\/portal\.db/);
    expect(result.stderr).not.toContain("s3cret");
  });
});
