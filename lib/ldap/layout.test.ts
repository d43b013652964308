import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// lib/ldap holds pure modules that forms may import; lib/ldap/engine holds the network engine,
// which must never reach a browser bundle. (ESLint checks the imports: eslint.config.mjs.)
const here = path.dirname(new URL(import.meta.url).pathname);
const sources = (dir: string) =>
  fs.readdirSync(dir).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));

describe("lib/ldap layout", () => {
  it('every engine module starts with import "server-only"', () => {
    const files = sources(path.join(here, "engine"));
    expect(files.length).toBeGreaterThan(10);
    for (const name of files)
      expect(fs.readFileSync(path.join(here, "engine", name), "utf8").startsWith('import "server-only";\n'), name).toBe(
        true,
      );
  });

  it("the pure modules use neither server-only nor ldapts; the public entry is server-only", () => {
    for (const name of sources(here).filter((name) => name !== "index.ts")) {
      const text = fs.readFileSync(path.join(here, name), "utf8");
      expect(text, name).not.toMatch(/from "ldapts"|import "server-only"|from "\.\/engine/);
    }
    expect(fs.readFileSync(path.join(here, "index.ts"), "utf8").startsWith('import "server-only";\n')).toBe(true);
  });
});
