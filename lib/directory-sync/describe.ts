import { REFUSAL_TEXT, type UserChange } from "./plan";

/** One line saying what a sync changes for a user, for the Preview, the history and the CLI. */
export function describeChange(change: UserChange, groupNames: ReadonlyMap<string, string>): string {
  const name = (id: string) => groupNames.get(id) ?? id;
  const parts: string[] = [];
  if (change.disable) parts.push(`disable: ${REFUSAL_TEXT[change.disable]}`);
  if (change.reenable) parts.push("re-enable");
  if (change.groupsAdded.length) parts.push(`groups added: ${change.groupsAdded.map(name).join(", ")}`);
  if (change.groupsRemoved.length) parts.push(`groups removed: ${change.groupsRemoved.map(name).join(", ")}`);
  if (change.email) parts.push(`email: ${change.email.from ?? "—"} → ${change.email.to ?? "—"}`);
  if (change.displayName) parts.push(`name: ${change.displayName.from ?? "—"} → ${change.displayName.to ?? "—"}`);
  if (change.dn) parts.push(`entry now at ${change.dn}`);
  return parts.join("; ");
}
