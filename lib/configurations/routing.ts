/** Which configuration a login's domain goes to. Pure: unit tested. */
import { domainsOf } from "@/lib/ldap/domains";

type Routing = { name: string; enabled: boolean; displayOrder: number; searchBase: string; alternateDomains: string };

/** Two enabled configurations for the same domain need an order between them. */
export function routingConflict(config: Omit<Routing, "name" | "enabled">, others: Routing[]): string | undefined {
  const mine = domainsOf(config);
  for (const other of others.filter(
    (candidate) => candidate.enabled && candidate.displayOrder === config.displayOrder,
  )) {
    const shared = domainsOf(other).filter((domain) => mine.includes(domain));
    if (shared.length > 0) {
      return `${shared.join(", ")} is also routed to "${other.name}" with the same display order ${config.displayOrder}: give one of them a different order so the portal knows which to try first`;
    }
  }
  return undefined;
}
