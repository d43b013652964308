import "server-only";
import type { Client, Entry, Filter } from "ldapts";
import type { DirectoryObserver } from "@/lib/observability/directory-observer";
import { ldapError, toLdapError, type LdapStep, type Result } from "../errors";
import { exclusively } from "./paging-lock";

export type Scope = "base" | "one" | "sub";

export interface SearchOptions {
  scope: Scope;
  filter: Filter;
  attributes: string[];
  /** Stop after this many entries (bounded look-ups, e.g. the group picker). */
  limit?: number;
  pageSize?: number;
}

/** Where a search happens and who hears how long it took ("groups" for group queries, "search" otherwise). */
export interface SearchContext {
  url: string;
  timeoutMs: number;
  observer?: DirectoryObserver;
}

function observeSearch(context: SearchContext, step: LdapStep, started: number): void {
  context.observer?.operation(step === "groups" ? "groups" : "search", performance.now() - started);
}

/** Attributes that are binary on the wire and must not be decoded as UTF-8. */
const BINARY_ATTRIBUTES = ["objectGUID", "objectSid"];

/** What every search of the engine asks: the options' scope, filter and attributes, binary ones kept raw. */
function requestOf(options: SearchOptions) {
  return {
    scope: options.scope,
    filter: options.filter,
    attributes: options.attributes,
    explicitBufferAttributes: BINARY_ATTRIBUTES,
  };
}

/**
 * A paged search (RFC 2696), so results beyond the server's size limit (1000 on AD, 500 on
 * OpenLDAP for ordinary accounts) arrive in full, one paged search at a time per connection
 * (paging-lock.ts). Referrals are returned by servers such as Samba for the Configuration
 * partition; they are not chased.
 */
export async function pagedSearch(
  client: Client,
  base: string,
  options: SearchOptions,
  step: LdapStep,
  context: SearchContext,
): Promise<Result<Entry[]>> {
  const entries: Entry[] = [];
  const started = performance.now();
  try {
    const turn = await exclusively(client, context.timeoutMs, async () => {
      const pages = client.searchPaginated(base, {
        ...requestOf(options),
        paged: { pageSize: options.pageSize ?? 500 },
      });
      for await (const page of pages) {
        entries.push(...page.searchEntries);
        if (options.limit !== undefined && entries.length >= options.limit) break;
      }
    });
    observeSearch(context, step, started);
    if (turn.waited) {
      return {
        ok: false,
        error: ldapError("timeout", step, {
          detail: `other paged searches on the connection to ${context.url} held it for more than ${context.timeoutMs} ms`,
        }),
      };
    }
  } catch (error) {
    observeSearch(context, step, started);
    return { ok: false, error: toLdapError(error, step, context) };
  }
  return { ok: true, value: options.limit !== undefined ? entries.slice(0, options.limit) : entries };
}

/**
 * One plain search; only when the server's size limit cuts it short does it go again with paging.
 * Most logins (a user, a handful of groups) then cost one exchange without the paging control.
 */
export async function searchAll(
  client: Client,
  base: string,
  options: SearchOptions,
  step: LdapStep,
  context: SearchContext,
): Promise<Result<Entry[]>> {
  const started = performance.now();
  try {
    const { searchEntries } = await client.search(base, requestOf(options));
    observeSearch(context, step, started);
    return { ok: true, value: searchEntries };
  } catch (error) {
    observeSearch(context, step, started);
    const classified = toLdapError(error, step, context);
    if (classified.code !== "size_limit_exceeded") return { ok: false, error: classified };
  }
  // A paged retry the account's limits refuse (OpenLDAP: adminLimitExceeded for size.prtotal or
  // size.pr) is classified as a size limit too, with the server's text.
  return pagedSearch(client, base, options, step, context);
}

/** The largest size limit a request may carry (LDAP maxInt): the server's own limit then decides. */
const MAX_SIZE_LIMIT = 2_147_483_647;

/**
 * Like searchAll, but when the server's size limit cuts the search short even with paging, the
 * entries it did return, with `limitedAfter` set. (ldapts returns a search cut short instead of
 * throwing only when the request itself carries a size limit: the third exchange asks with one.)
 */
export async function searchUpToLimit(
  client: Client,
  base: string,
  options: SearchOptions,
  step: LdapStep,
  context: SearchContext,
): Promise<Result<{ entries: Entry[]; limitedAfter?: number }>> {
  const found = await searchAll(client, base, options, step, context);
  if (found.ok) return { ok: true, value: { entries: found.value } };
  if (found.error.code !== "size_limit_exceeded") return found;
  const started = performance.now();
  try {
    const { searchEntries } = await client.search(base, { ...requestOf(options), sizeLimit: MAX_SIZE_LIMIT });
    observeSearch(context, step, started);
    return { ok: true, value: { entries: searchEntries, limitedAfter: searchEntries.length } };
  } catch {
    return found;
  }
}

/** First value of an attribute as text (attribute names are matched case-insensitively). */
export function firstValue(entry: Entry, attribute: string): string | undefined {
  return allValues(entry, attribute)[0];
}

export function allValues(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  if (!key) return [];
  const raw = entry[key];
  const values = Array.isArray(raw) ? raw : [raw];
  return values.map((value) => (Buffer.isBuffer(value) ? value.toString("utf8") : String(value)));
}

/** The entry's attributes as text, binary ones (objectGUID) and the DN left out. */
export function textAttributes(entry: Entry): Record<string, string[]> {
  const attributes: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(entry)) {
    if (name === "dn" || name.toLowerCase() === "objectguid") continue;
    attributes[name] = (Array.isArray(raw) ? raw : [raw]).map((value) =>
      Buffer.isBuffer(value) ? value.toString("utf8") : String(value),
    );
  }
  return attributes;
}

/** objectGUID bytes → the familiar "01234567-89ab-cdef-0123-456789abcdef" (little-endian first three parts). */
export function formatObjectGuid(bytes: Buffer): string {
  const hex = (start: number, end: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(start, end));
    return (reverse ? part.reverse() : part).toString("hex");
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join("-");
}

/** The directory's immutable id: objectGUID (AD), entryUUID (OpenLDAP, 389 DS) or nsUniqueId (389 DS). */
export function directoryIdOf(entry: Entry): string | undefined {
  const guidKey = Object.keys(entry).find((name) => name.toLowerCase() === "objectguid");
  const guid = guidKey ? entry[guidKey] : undefined;
  const guidBytes = Array.isArray(guid) ? guid[0] : guid;
  if (Buffer.isBuffer(guidBytes) && guidBytes.length === 16) return formatObjectGuid(guidBytes);
  return firstValue(entry, "entryUUID") ?? firstValue(entry, "nsUniqueId");
}
