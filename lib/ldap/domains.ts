import { domainFromDn } from "./dn";
import { splitList } from "./list";

/** "*" in Alternate Username Domains routes usernames typed without a domain. */
export const NO_DOMAIN = "*";

export function splitDomains(text: string): string[] {
  return splitList(text.toLowerCase());
}

/** The login domains a configuration answers for: its Search Base DCs plus the alternates. */
export function domainsOf(config: { searchBase: string; alternateDomains: string }): string[] {
  const fromBase = domainFromDn(config.searchBase);
  return [...new Set([...(fromBase ? [fromBase] : []), ...splitDomains(config.alternateDomains)])];
}

/** Does a configuration answer for a login's domain (undefined: no @ in the login)? */
export function claimsDomain(
  config: { searchBase: string; alternateDomains: string },
  domain: string | undefined,
): boolean {
  return domainsOf(config).includes(domain ?? NO_DOMAIN);
}
