/** "Local", or "LDAP: <configuration name>" (the configuration may have been deleted since). */
export function sourceLabel(user: { source: string; ldapConfig: { name: string } | null }): string {
  if (user.source !== "ldap") return "Local";
  return `LDAP: ${user.ldapConfig?.name ?? "configuration deleted"}`;
}
