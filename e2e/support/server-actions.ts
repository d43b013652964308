import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

/**
 * Calls a server action the way a script in the page could, without the page's own UI: what a
 * visitor can do with any action the page's bundle names. The action's id comes from the build
 * the test server serves (.next/server/server-reference-manifest.json).
 */
function actionId(file: string, name: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, action]) => action.filename === file && action.exportedName === name,
  );
  if (!found) throw new Error(`no server action ${name} in ${file} in this build`);
  return found[0];
}

/** The action's answer (its return value), called from the page's origin with the page's cookies. */
export async function callServerAction<T>(page: Page, file: string, name: string, ...args: unknown[]): Promise<T> {
  const id = actionId(file, name);
  const body = await page.evaluate(
    async ({ id, args }) => {
      const response = await fetch(window.location.pathname, {
        method: "POST",
        headers: { "Next-Action": id, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8" },
        body: JSON.stringify(args),
      });
      return response.text();
    },
    { id, args },
  );
  // The answer is React's flight format: one row per line, the return value in row 1.
  const row = body.split("\n").find((line) => line.startsWith("1:"));
  if (!row) throw new Error(`server action ${name} answered no value: ${body.slice(0, 300)}`);
  return JSON.parse(row.slice(2)) as T;
}
