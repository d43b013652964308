import { dnKey } from "@/lib/ldap/dn";

/**
 * The app groups a set of group DNs maps to, from mapping rows (stored in RFC 4514 normal form):
 * the one lookup of sign-in settings and the directory sync.
 */
export function groupsByDn(mappings: { dnNormalized: string; groupId: string }[]): (groupDns: string[]) => Set<string> {
  const byDn = new Map<string, string[]>();
  for (const { dnNormalized, groupId } of mappings)
    byDn.set(dnNormalized, [...(byDn.get(dnNormalized) ?? []), groupId]);
  return (groupDns) => new Set(groupDns.flatMap((dn) => byDn.get(dnKey(dn)) ?? []));
}
