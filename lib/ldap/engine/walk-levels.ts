import "server-only";
import { dnKey } from "../dn";
import type { Result } from "../errors";
import { joinReasons } from "./group-search";

/** Nesting deeper than this is cut short (and reported): real directories stay far below. */
export const MAX_DEPTH = 10;
/** Group queries one login may send at most. */
export const QUERY_BUDGET = 60;
/** DNs per query: `(|(member=g1)…(member=g100))`. */
export const BATCH_SIZE = 100;

/** What one query of a walk found: groups it confirmed, candidates for the next level, and why it was cut short. */
interface Visit {
  found: string[];
  next: string[];
  incompleteReason?: string;
}

/**
 * Breadth-first over groups, one level at a time, each level's DNs asked in batches of
 * BATCH_SIZE. A visited set (cycles), a level cap and the query budget bound it; a walk cut
 * short (by them or by a query the server's size limit cut) says why in `incompleteReason`.
 * Returns, per level, the DNs asked about and the groups found, and the candidates left unasked
 * when a cap stopped it.
 */
export async function walkLevels(
  start: string[],
  maxLevels: number,
  queries: string[],
  visit: (batch: string[]) => Promise<Result<Visit>>,
) {
  const seen = new Set(start.map(dnKey));
  const asked: string[][] = [];
  const found: string[][] = [];
  let frontier = start;
  let capped: string | undefined;
  const cutQueries: string[] = [];
  while (frontier.length > 0 && !capped) {
    if (asked.length >= maxLevels) {
      capped = `depth cap ${MAX_DEPTH} reached`;
      break;
    }
    const levelFound: string[] = [];
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += BATCH_SIZE) {
      if (queries.length >= QUERY_BUDGET) {
        capped = `query budget ${QUERY_BUDGET} spent`;
        break;
      }
      const visited = await visit(frontier.slice(i, i + BATCH_SIZE));
      if (!visited.ok) return visited;
      if (visited.value.incompleteReason) cutQueries.push(visited.value.incompleteReason);
      levelFound.push(...visited.value.found);
      for (const dn of visited.value.next) {
        const key = dnKey(dn);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(dn);
        }
      }
    }
    asked.push(frontier);
    found.push(levelFound);
    frontier = next;
  }
  return {
    ok: true as const,
    value: { asked, found, pending: frontier, incompleteReason: joinReasons(...cutQueries, capped) },
  };
}
