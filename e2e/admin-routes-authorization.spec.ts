import fs from "node:fs";
import { type APIRequestContext, expect, test } from "./fixtures";

/**
 * Enumerates every admin page and every server action from the production build's manifests,
 * so a page or action added later is covered without editing this test.
 */
function routeOf(appPath: string): string {
  const route = appPath
    .replace(/^app/, "")
    .replace(/\/(page|route)$/, "")
    .split("/")
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => (segment.startsWith("[") ? "does-not-exist" : segment))
    .join("/");
  return route || "/";
}

const appPaths = Object.keys(
  JSON.parse(fs.readFileSync(".next/server/app-paths-manifest.json", "utf8")) as Record<string, string>,
);
const ADMIN_PAGES = appPaths
  .filter((path) => path.startsWith("/(admin)/") && path.endsWith("/page"))
  .map((path) => routeOf(`app${path}`));

interface ActionEntry {
  workers: Record<string, unknown>;
  filename?: string;
  exportedName?: string;
}
const actionManifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
  node: Record<string, ActionEntry>;
};
const ADMIN_ACTIONS = Object.entries(actionManifest.node)
  .filter(([, entry]) => entry.filename?.startsWith("app/(admin)/"))
  .map(([id, entry]) => ({ id, name: entry.exportedName ?? id, page: routeOf(Object.keys(entry.workers)[0]!) }));

test("the build has the admin pages and actions this test is meant to cover", () => {
  expect(ADMIN_PAGES).toEqual(
    expect.arrayContaining(["/admin", "/admin/authentication/ldap", "/admin/groups", "/admin/users", "/admin/audit"]),
  );
  expect(ADMIN_ACTIONS.map((action) => action.name)).toEqual(
    expect.arrayContaining(["saveLdapConfigAction", "deleteLdapConfigAction", "testSavedLdapConfigAction"]),
  );
});

async function callAction(request: APIRequestContext, action: { id: string; page: string }) {
  return request.post(action.page, {
    headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
    data: "[]",
    maxRedirects: 0,
  });
}

test("an anonymous client gets no admin page and no admin action", async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  for (const path of ADMIN_PAGES) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    expect(response.headers().location, path).toContain("/login");
  }
  // Without the proxy's cookie check (a forged cookie passes it), the page itself refuses.
  const forged = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Cookie: "next-auth.session-token=forged" },
  });
  for (const path of ADMIN_PAGES) {
    const response = await forged.get(path, { maxRedirects: 0 });
    expect([303, 307], path).toContain(response.status());
    expect(response.headers().location ?? "", path).toContain("/login");
  }
  for (const action of ADMIN_ACTIONS) {
    const response = await callAction(forged, action);
    const redirect = response.headers()["x-action-redirect"] ?? response.headers().location ?? "";
    expect(redirect, `${action.name} must redirect an anonymous caller to /login`).toContain("/login");
  }
});

test("a signed-in non-admin gets 403 from every admin page and every admin action", async ({
  signInElsewhere,
  database,
}) => {
  const username = `refused-${Date.now()}@portal.local`;
  await database.createLocalUser(username, "Refused-User-Password-1");
  const page = await signInElsewhere(username, "Refused-User-Password-1");
  await expect(page).toHaveURL(/\/profile$/);
  const context = page.context();
  for (const path of ADMIN_PAGES) {
    const response = await context.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(403);
  }
  for (const action of ADMIN_ACTIONS) {
    const response = await callAction(context.request, action);
    expect(response.status(), `${action.name} must refuse a non-admin`).toBe(403);
  }
});
