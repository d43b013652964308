import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger, setLogger } from "./observability/logger.mjs";
import { loadSecrets, looseSecretsWarning } from "./secrets";

/** The warnings the portal's log receives while a test runs. */
function captureWarnings() {
  const messages: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        const entry = JSON.parse(line) as { level: string; msg: string };
        if (entry.level === "warn") messages.push(entry.msg);
      }
      done();
    },
  });
  const previous = setLogger(createLogger({ format: "json", level: "info", destination }));
  return { messages, clear: () => messages.splice(0), restore: () => setLogger(previous) };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe("loadSecrets keeps the generated secrets private", () => {
  let root: string;
  let umask: number;
  const saved = {
    AUTH_SECRET: process.env.AUTH_SECRET,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY,
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "secrets-"));
    // A permissive umask, as a shell usually has: the modes must not depend on it.
    umask = process.umask(0o022);
    delete process.env.AUTH_SECRET;
    delete process.env.NEXTAUTH_SECRET;
    delete process.env.ENCRYPTION_KEY;
  });

  afterEach(() => {
    process.umask(umask);
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    vi.restoreAllMocks();
    fs.rmSync(root, { recursive: true, force: true });
  });

  let warnings: ReturnType<typeof captureWarnings>;
  beforeEach(() => {
    warnings = captureWarnings();
  });
  afterEach(() => warnings.restore());

  it("creates the data directory 0700 and secrets.json 0600", () => {
    const dataDir = path.join(root, "data");
    loadSecrets(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "secrets.json"))).toBe(0o600);
  });

  it("warns once, naming the file and the fix, when an existing secrets.json is open to others", () => {
    loadSecrets(root);
    const file = path.join(root, "secrets.json");
    fs.chmodSync(file, 0o644);
    warnings.clear();
    loadSecrets(root);
    expect(warnings.messages).toHaveLength(1);
    const line = String(warnings.messages[0]);
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toContain(file);
    expect(line).toContain(`chmod 600 ${file}`);
  });

  it("says nothing about a private secrets.json", () => {
    loadSecrets(root);
    warnings.clear();
    loadSecrets(root);
    expect(warnings.messages).toEqual([]);
  });
});

describe("looseSecretsWarning", () => {
  it.each([
    [0o600, false],
    [0o400, false],
    [0o640, true],
    [0o604, true],
    [0o620, true],
    [0o100644, true],
  ])("mode %o warns: %s", (fileMode, warns) => {
    expect(looseSecretsWarning("/srv/portal/data/secrets.json", fileMode) !== undefined).toBe(warns);
  });

  it("prints the mode in octal", () => {
    expect(looseSecretsWarning("/d/secrets.json", 0o100644)).toBe(
      "[portal] /d/secrets.json is open to other accounts on this machine (mode 644): run chmod 600 /d/secrets.json",
    );
  });
});
