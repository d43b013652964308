import { escapeFilterValue, parseFilter, type FilterNode, type FilterValue } from "./filter";

/**
 * Filters the directory sync sends: it looks users up by their immutable directory id, in
 * batches, and asks which of them the Search Filter still matches for any login.
 */

const PLACEHOLDER = /\{[A-Za-z0-9_]+\}/;

const textValue = (raw: string): FilterValue => parseValue(raw);

function parseValue(raw: string): FilterValue {
  const parsed = parseFilter(`(x=${raw})`);
  if (!parsed.ok || parsed.value.type !== "equality") throw new Error(`not a filter value: ${raw}`);
  return parsed.value.value;
}

/**
 * The Search Filter with every login placeholder widened to "anything": `(sAMAccountName={0})`
 * becomes `(sAMAccountName=*)`, `(mail={0}@kasm.core)` becomes `(mail=*@kasm.core)`. An entry
 * matches the result exactly when some login would find it. Undefined when a placeholder sits
 * where no wildcard can stand (an ordering or extensible match): the sync then cannot tell.
 */
export function matchingAnyLogin(tree: FilterNode): FilterNode | undefined {
  switch (tree.type) {
    case "and":
    case "or": {
      const children = tree.children.map(matchingAnyLogin);
      return children.every((child) => child !== undefined) ? { ...tree, children } : undefined;
    }
    case "not": {
      const child = matchingAnyLogin(tree.child);
      return child ? { ...tree, child } : undefined;
    }
    case "present":
      return tree;
    case "equality": {
      if (!PLACEHOLDER.test(tree.value.raw)) return tree;
      const parts = tree.value.raw.split(new RegExp(PLACEHOLDER.source, "g"));
      if (parts.every((part) => part === "")) return { type: "present", attribute: tree.attribute };
      return {
        type: "substring",
        attribute: tree.attribute,
        ...(parts[0] ? { initial: textValue(parts[0]) } : {}),
        any: parts.slice(1, -1).filter(Boolean).map(textValue),
        ...(parts[parts.length - 1] ? { final: textValue(parts[parts.length - 1]!) } : {}),
      };
    }
    case "substring": {
      const values = [tree.initial, ...tree.any, tree.final].filter((part): part is FilterValue => part !== undefined);
      return values.some((part) => PLACEHOLDER.test(part.raw)) ? undefined : tree;
    }
    default:
      return PLACEHOLDER.test(tree.value.raw) ? undefined : tree;
  }
}

/** An objectGUID as the text directoryIdOf makes of it → its 16 bytes, RFC 4515-escaped. */
export function objectGuidFilterValue(guid: string): string | undefined {
  // 8-4-4-4-12 hex digits (a 389 DS nsUniqueId is 8-8-8-8).
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(guid)) return undefined;
  const bytes = Buffer.from(guid.replace(/-/g, ""), "hex");
  // The first three parts are little-endian on the wire (formatObjectGuid reverses them).
  const wire = Buffer.concat([
    Buffer.from(bytes.subarray(0, 4)).reverse(),
    Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(),
    bytes.subarray(8, 16),
  ]);
  return [...wire].map((byte) => `\\${byte.toString(16).padStart(2, "0")}`).join("");
}

/**
 * Entries whose immutable id is one of `ids`: a GUID-shaped id is an objectGUID (Active
 * Directory) or an entryUUID (OpenLDAP, 389 DS); any other is a 389 DS nsUniqueId. A server
 * that does not know an attribute treats its clause as false.
 */
export function directoryIdFilter(ids: string[]): FilterNode {
  const clauses = ids.flatMap((id): FilterNode[] => {
    const guid = objectGuidFilterValue(id);
    const equality = (attribute: string, raw: string): FilterNode => ({
      type: "equality",
      attribute,
      value: parseValue(raw),
    });
    const escaped = escapeFilterValue(id);
    return guid ? [equality("objectGUID", guid), equality("entryUUID", escaped)] : [equality("nsUniqueId", escaped)];
  });
  return { type: "or", children: clauses };
}
