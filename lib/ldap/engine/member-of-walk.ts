import "server-only";
import type { Entry } from "ldapts";
import { dnWithin } from "../dn";
import type { Result } from "../errors";
import type { FilterNode } from "../filter";
import { searchGroupEntries, type Expansion, type GroupContext } from "./group-search";
import { anyOf } from "./ldapts-filter";
import { AD_CAPABILITY_OID } from "../oids";
import { knownFacts, rememberFacts, type DirectoryFacts } from "./registry";
import { allValues } from "./search";
import { MAX_DEPTH, walkLevels } from "./walk-levels";

// The AD in-chain group filter `(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={0}))`
// resolved by the portal from memberOf, which Active Directory maintains on every member: the
// user's memberOf values, then each level's groups read by DN (an indexed look-up; Samba needs
// about 250 ms for the in-chain rule over 1 100 groups, and does not index `member=`).

const FACTS_TTL_MS = 10 * 60_000;
/** A RootDSE that could not be read is asked again after this long, not at every sign-in. */
const UNKNOWN_FACTS_TTL_MS = 60_000;

async function directoryFacts(ctx: GroupContext): Promise<DirectoryFacts> {
  const known = knownFacts(ctx.url);
  if (known) return known;
  let facts: DirectoryFacts = { activeDirectory: false, namingContexts: [] };
  let ttlMs = UNKNOWN_FACTS_TTL_MS;
  if (ctx.isAlive()) {
    try {
      const { searchEntries } = await ctx.client.search("", {
        scope: "base",
        filter: "(objectClass=*)",
        attributes: ["supportedCapabilities", "namingContexts"],
      });
      const rootDse = searchEntries[0] ?? { dn: "" };
      facts = {
        activeDirectory: allValues(rootDse, "supportedCapabilities").includes(AD_CAPABILITY_OID),
        namingContexts: allValues(rootDse, "namingContexts"),
      };
      ttlMs = FACTS_TTL_MS;
    } catch {
      // Not known: the rule is sent as written and the server's answer says what is wrong.
    }
  }
  rememberFacts(ctx.url, facts, ttlMs);
  return facts;
}

/** The naming context holding the Search Base: nesting may pass through groups outside the base. */
function namingContextOf(base: string, contexts: string[]): string | undefined {
  return contexts.filter((context) => dnWithin(base, context, true)).sort((a, b) => b.length - a.length)[0];
}

/** Active Directory sends a long multi-valued attribute in ranges (`memberOf;range=0-1499`). */
export function memberOfIsRanged(entry: Record<string, unknown>): boolean {
  return Object.keys(entry).some((name) => /^memberof;range=/i.test(name));
}

/** The memberOf values an entry holds, those of a first range included (each is a real membership). */
export function memberOfValues(entry: Entry): string[] {
  return Object.keys(entry)
    .filter((name) => /^memberof(;range=.*)?$/i.test(name))
    .flatMap((name) => allValues(entry, name));
}

/**
 * Whether the walk gives exactly the server's answer for these object-class clauses: every
 * group reached through `member` is of class group, so following memberOf of groups loses none.
 */
export function walkable(classClauses: FilterNode[]): boolean {
  return classClauses.every((clause) => clause.type === "equality" && clause.value.value.toLowerCase() === "group");
}

/**
 * The groups the server's in-chain rule would return, or undefined when the portal cannot be sure
 * to find the same (not Active Directory, Search Base outside its naming contexts, a group's
 * memberOf sent in ranges, the walk cut short): the caller then sends the rule as written.
 */
export async function walkMemberOf(
  ctx: GroupContext,
  classClauses: FilterNode[],
  memberOf: string[],
  queries: string[],
): Promise<Result<Expansion | undefined>> {
  const facts = await directoryFacts(ctx);
  const { config } = ctx.compiled;
  const namingContext = facts.activeDirectory ? namingContextOf(config.searchBase, facts.namingContexts) : undefined;
  if (!namingContext) return { ok: true, value: undefined };
  let ranged = false;
  const walked = await walkLevels(memberOf, MAX_DEPTH + 1, queries, async (batch) => {
    const byDn = anyOf("distinguishedName", batch);
    const node: FilterNode = classClauses.length > 0 ? { type: "and", children: [...classClauses, byDn] } : byDn;
    const searched = await searchGroupEntries(ctx, node, ["memberOf"], queries, { base: namingContext, scope: "sub" });
    if (!searched.ok) return searched;
    const groups = searched.value.value;
    ranged ||= groups.some(memberOfIsRanged);
    const found = groups.map((group: Entry) => group.dn);
    return {
      ok: true,
      value: {
        found,
        next: groups.flatMap((group) => allValues(group, "memberOf")),
        incompleteReason: searched.value.incompleteReason,
      },
    };
  });
  if (!walked.ok) return walked;
  if (walked.value.incompleteReason || ranged) return { ok: true, value: undefined };
  // Like the server, return only the groups a search from the Search Base (with its scope) finds.
  const inSearch = (dn: string) => dnWithin(dn, config.searchBase, config.searchSubtree);
  const levels = walked.value.found.map((level) => level.filter(inSearch));
  const depth = levels.filter((level) => level.length > 0).length - 1;
  return { ok: true, value: { direct: levels[0] ?? [], all: levels.flat(), depth: Math.max(0, depth) } };
}
