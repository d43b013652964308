"use server";

import { ActionError, adminAction, type Revalidation } from "@/lib/admin-action";
import { importConfigDocument } from "@/lib/config-document/apply";
import { configImportSchema } from "@/lib/config-document/import-input";

/** Every page that shows configurations, groups or what they grant. */
const IMPORTED_PAGES: readonly Revalidation[] = [
  "/admin/authentication/ldap",
  "/admin/groups",
  { path: "/admin/users", type: "layout" },
  "/profile",
  "/admin/configuration",
];

/** What the page shows of an import: one line per entry, what is left alone, the summary. */
export interface ImportReport {
  applied: boolean;
  changes: number;
  lines: string[];
}

async function run(document: string, actor: string, dryRun: boolean): Promise<{ data: ImportReport }> {
  const outcome = await importConfigDocument(document, { actor, source: "admin page", dryRun });
  // The first problem, named by its path in the document: nothing was written.
  if (!outcome.ok) throw new ActionError({ formError: outcome.error });
  const changes = outcome.plan.changes.filter((change) => change.action !== "unchanged").length;
  return { data: { applied: outcome.applied, changes, lines: outcome.lines } };
}

/** Preview: the planned changes (or the first problem), nothing written. */
export const previewConfigImportAction = adminAction({
  input: configImportSchema,
  async run({ document }, admin) {
    return run(document, admin.username, true);
  },
});

/** Apply: checked again against the portal as it is now, then written in one transaction (audited by the import). */
export const applyConfigImportAction = adminAction({
  input: configImportSchema,
  revalidate: IMPORTED_PAGES,
  async run({ document }, admin) {
    return run(document, admin.username, false);
  },
});
