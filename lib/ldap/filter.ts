// LDAP search filters (RFC 4515): escaping, a validating parser with error positions, and
// placeholder rendering. Pure (no ldapts at runtime) so the admin form can validate client-side.
import { IN_CHAIN_OID } from "./oids";

export interface FilterError {
  message: string;
  position?: number;
}
export type FilterResult<T> = { ok: true; value: T } | { ok: false; error: FilterError };

/** A value as written (`raw`, still RFC 4515-escaped) and decoded (`value`, UTF-8; lossy for binary). */
export interface FilterValue {
  raw: string;
  value: string;
}
export type FilterNode =
  | { type: "and" | "or"; children: FilterNode[] }
  | { type: "not"; child: FilterNode }
  | { type: "equality" | "ge" | "le" | "approx"; attribute: string; value: FilterValue }
  | { type: "present"; attribute: string }
  | { type: "substring"; attribute: string; initial?: FilterValue; any: FilterValue[]; final?: FilterValue }
  | { type: "extensible"; attribute?: string; dnAttributes: boolean; matchingRule?: string; value: FilterValue };

/** Every placeholder the product knows; a given filter may allow fewer. */
export const FILTER_PLACEHOLDERS = ["0", "username", "login", "dn"] as const;

/**
 * RFC 4515 escaping of `*`, `(`, `)`, `\`, NUL and the other ASCII controls (C0, DEL) as `\xx`.
 * Everything else, C1 controls and all non-ASCII included, passes through as text that ldapts
 * sends as UTF-8: ldapts's string parser turns each `\xx` into the code point U+00xx, so escaping
 * multi-byte UTF-8 as octets (`\c3\b6` for "ö") would put the wrong bytes on the wire.
 */
export function escapeFilterValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    const special = ch === "*" || ch === "(" || ch === ")" || ch === "\\" || code < 0x20 || code === 0x7f;
    out += special ? `\\${code.toString(16).padStart(2, "0")}` : ch;
  }
  return out;
}

const NEEDS_ESCAPE = /[*()\\\x00-\x1f\x7f]/;

class Fail {
  constructor(
    readonly message: string,
    readonly position: number,
  ) {}
}

// RFC 4512 descr / numericoid plus options. `_` is tolerated: some OpenLDAP schemas use it.
const ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9_-]*|(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))+)(?:;[A-Za-z0-9-]+)*$/;
const RULE = /^(?:[A-Za-z][A-Za-z0-9_-]*|(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))+)$/;
const NAME_CHAR = /[A-Za-z0-9_.;-]/;
const show = (ch: string | undefined) => (ch === undefined ? "end of filter" : ch === "\0" ? "NUL" : `'${ch}'`);

class Parser {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }
  peek(): string | undefined {
    return this.pos < this.end ? this.text[this.pos] : undefined;
  }
  unexpected(hint = ""): never {
    const ch = this.peek();
    if (ch === undefined) throw new Fail(`Missing ')' at position ${this.pos}`, this.pos);
    throw new Fail(`Unexpected ${show(ch)} at position ${this.pos}${hint}`, this.pos);
  }
  filter(): FilterNode {
    if (this.peek() !== "(") this.unexpected(": expected '('");
    this.pos++;
    const node = this.comp();
    if (this.peek() !== ")") this.unexpected(this.peek() === "(" ? "" : ": expected ')'");
    this.pos++;
    return node;
  }
  comp(): FilterNode {
    const ch = this.peek();
    if (ch === "&" || ch === "|") {
      const at = this.pos++;
      const children: FilterNode[] = [];
      while (this.peek() === "(") children.push(this.filter());
      if (children.length === 0)
        throw new Fail(`Empty '${ch}' at position ${at}: it needs at least one (attribute=value)`, at);
      return { type: ch === "&" ? "and" : "or", children };
    }
    if (ch === "!") {
      this.pos++;
      return { type: "not", child: this.filter() };
    }
    if (ch === ")" || ch === undefined) throw new Fail(`Empty filter at position ${this.pos}`, this.pos);
    if (ch === "(") this.unexpected(": a filter needs &, |, ! or an attribute here");
    return this.item();
  }
  name(): string {
    const start = this.pos;
    while (this.pos < this.end && NAME_CHAR.test(this.text[this.pos] ?? "")) this.pos++;
    return this.text.slice(start, this.pos);
  }
  item(): FilterNode {
    const start = this.pos;
    const attribute = this.name();
    const op = this.peek();
    if (op === ")" || op === undefined) throw new Fail(`Missing '=' at position ${this.pos}`, this.pos);
    const two = op + (this.text[this.pos + 1] ?? "");
    if (op !== "=" && op !== ":" && two !== "~=" && two !== ">=" && two !== "<=") {
      throw new Fail(`Invalid attribute description at position ${this.pos}: unexpected ${show(op)}`, this.pos);
    }
    if (!(attribute === "" && op === ":") && !ATTRIBUTE.test(attribute)) {
      const what = attribute ? `Invalid attribute description '${attribute}'` : "Missing attribute description";
      throw new Fail(`${what} at position ${start}`, start);
    }
    if (op === ":") return this.extensible(attribute || undefined, start);
    if (op !== "=") {
      this.pos += 2;
      const type = two === "~=" ? "approx" : two === ">=" ? "ge" : "le";
      return { type, attribute, value: this.values(false)[0] ?? value("") };
    }
    this.pos++;
    const parts = this.values(true);
    if (parts.length === 1) return { type: "equality", attribute, value: parts[0] ?? value("") };
    if (parts.length === 2 && parts.every((p) => p.raw === "")) return { type: "present", attribute };
    const [first, ...rest] = parts;
    const last = rest.pop();
    return {
      type: "substring",
      attribute,
      any: rest,
      ...(first?.raw ? { initial: first } : {}),
      ...(last?.raw ? { final: last } : {}),
    };
  }
  extensible(attribute: string | undefined, start: number): FilterNode {
    let dnAttributes = false;
    let matchingRule: string | undefined;
    while (this.peek() === ":") {
      this.pos++;
      if (this.peek() === "=") {
        this.pos++;
        if (!attribute && !matchingRule)
          throw new Fail(`Extensible match at position ${start} needs an attribute or a matching rule`, start);
        const v = this.values(false)[0] ?? value("");
        return {
          type: "extensible",
          dnAttributes,
          value: v,
          ...(attribute ? { attribute } : {}),
          ...(matchingRule ? { matchingRule } : {}),
        };
      }
      const at = this.pos;
      const token = this.name();
      if (this.peek() !== ":") this.unexpected(": expected ':=' in extensible match");
      if (token.toLowerCase() === "dn" && !dnAttributes && !matchingRule) dnAttributes = true;
      else if (!matchingRule && RULE.test(token)) matchingRule = token;
      else throw new Fail(`Invalid matching rule '${token}' at position ${at}`, at);
    }
    return this.unexpected(": expected ':=' in extensible match");
  }
  /** Reads an assertion value up to ')' or the end; split on unescaped '*' when wildcards are allowed. */
  values(wildcards: boolean): FilterValue[] {
    const parts: FilterValue[] = [];
    let start = this.pos;
    for (let ch = this.peek(); ch !== undefined && ch !== ")"; ch = this.peek()) {
      const at = this.pos;
      if (ch === "\\") {
        if (!/^[0-9A-Fa-f]{2}$/.test(this.text.slice(at + 1, Math.min(at + 3, this.end)))) {
          throw new Fail(
            `Invalid escape at position ${at}: '\\' must be followed by two hex digits (\\2a, \\28, \\29, \\5c)`,
            at,
          );
        }
        this.pos += 3;
        continue;
      }
      if (ch === "(") throw new Fail(`Unexpected '(' at position ${at}: write it as \\28 in a value`, at);
      if (ch === "\0") throw new Fail(`Unexpected NUL at position ${at}: write it as \\00`, at);
      if (ch === "*") {
        if (!wildcards)
          throw new Fail(
            `Unexpected '*' at position ${at}: wildcards work only with '='; write a literal * as \\2a`,
            at,
          );
        if (parts.length > 0 && at === start) throw new Fail(`Consecutive '*' at position ${at}`, at);
        parts.push(value(this.text.slice(start, at)));
        start = at + 1;
      }
      this.pos++;
    }
    parts.push(value(this.text.slice(start, this.pos)));
    return parts;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/**
 * The octets an escaped value stands for (RFC 4515: `\xx` is one octet, text is UTF-8). Use it to
 * build ldapts Filter objects with Buffer values where ldapts's string parser would be lossy.
 */
export function filterValueBytes(raw: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length;) {
    if (raw[i] === "\\") {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const code = raw.charCodeAt(i);
    if (code < 0x80) {
      bytes.push(code);
      i += 1;
      continue;
    }
    const ch = String.fromCodePoint(raw.codePointAt(i) ?? 0);
    bytes.push(...encoder.encode(ch));
    i += ch.length;
  }
  return Uint8Array.from(bytes);
}
// Printable ASCII without escapes decodes to itself: the common case needs no byte round trip.
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/;

/** filterValueBytes as a Buffer, for ldapts filter objects (every login builds a few). */
export function filterValueBuffer(raw: string): Buffer {
  return PLAIN.test(raw) ? Buffer.from(raw, "latin1") : Buffer.from(filterValueBytes(raw));
}
const value = (raw: string): FilterValue => ({
  raw,
  value: PLAIN.test(raw) ? raw : decoder.decode(filterValueBytes(raw)),
});

/**
 * Validates a filter and returns its tree. Accepts the standard form `(&(a=b)(c=d))` and the
 * product documentation's form without the outer parentheses (`&(a=b)(c=d)`, `uid={0}`).
 * Positions are 0-based offsets into `text`.
 */
export function parseFilter(text: string): FilterResult<FilterNode> {
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  if (start >= end) return { ok: false, error: { message: "Empty filter" } };
  const parser = new Parser(text, start, end);
  try {
    const node = text[start] === "(" ? parser.filter() : parser.comp();
    if (parser.pos < end) {
      const hint = text[parser.pos] === "(" ? ": combine several filters with (&...) or (|...)" : "";
      throw new Fail(`Unexpected ${show(text[parser.pos])} at position ${parser.pos}${hint}`, parser.pos);
    }
    return { ok: true, value: node };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: { message: e.message, position: e.position } };
    throw e;
  }
}

/** Standard-form text of a tree; `valueText` may rewrite each value's raw (escaped) text. */
export function stringifyFilter(node: FilterNode, valueText: (v: FilterValue) => string = (v) => v.raw): string {
  switch (node.type) {
    case "and":
    case "or":
      return `(${node.type === "and" ? "&" : "|"}${node.children.map((c) => stringifyFilter(c, valueText)).join("")})`;
    case "not":
      return `(!${stringifyFilter(node.child, valueText)})`;
    case "present":
      return `(${node.attribute}=*)`;
    case "equality":
      return `(${node.attribute}=${valueText(node.value)})`;
    case "approx":
      return `(${node.attribute}~=${valueText(node.value)})`;
    case "ge":
      return `(${node.attribute}>=${valueText(node.value)})`;
    case "le":
      return `(${node.attribute}<=${valueText(node.value)})`;
    case "substring": {
      const pieces = [node.initial, ...node.any, node.final].map((v) => (v ? valueText(v) : ""));
      return `(${node.attribute}=${pieces.join("*")})`;
    }
    case "extensible":
      return `(${node.attribute ?? ""}${node.dnAttributes ? ":dn" : ""}${node.matchingRule ? `:${node.matchingRule}` : ""}:=${valueText(node.value)})`;
  }
}

/** The filter in standard form (outer parentheses added when missing), after validation. */
export function normalizeFilterText(text: string): FilterResult<string> {
  const parsed = parseFilter(text);
  return parsed.ok ? { ok: true, value: stringifyFilter(parsed.value) } : parsed;
}

const CLASS_ATTRIBUTES = new Set(["objectclass", "objectcategory"]);

// Placeholders live only in values (braces are invalid in attribute names), so scanning the
// whole template finds exactly the placeholders in values. `\7b` writes a literal brace.
const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/** Placeholder names a template uses, in order of first appearance (`["0", "username"]`). */
export function filterPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""))];
}

/** Parses a template and checks that it uses only the `allowed` placeholders. */
export function validateFilterTemplate(
  template: string,
  allowed: readonly string[] = FILTER_PLACEHOLDERS,
): FilterResult<FilterNode> {
  const parsed = parseFilter(template);
  if (!parsed.ok) return parsed;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (allowed.includes(m[1] ?? "")) continue;
    const known = allowed.map((n) => `{${n}}`).join(", ") || "none";
    return {
      ok: false,
      error: {
        message: `Unknown placeholder ${m[0]} at position ${m.index}; allowed here: ${known}`,
        position: m.index,
      },
    };
  }
  return parsed;
}

/**
 * Substitutes `values` (escaped) into the template's placeholders and returns the effective
 * filter in standard form. Substitution happens on the parsed tree, value by value, so the
 * result is a valid filter whatever the values contain.
 */
export function renderFilter(template: string, values: Record<string, string>): FilterResult<string> {
  const tree = renderFilterTree(template, values);
  return tree.ok ? { ok: true, value: stringifyFilter(tree.value) } : tree;
}

/** Like renderFilter, but returns the tree with the values substituted (for ldapts filter objects). */
export function renderFilterTree(template: string, values: Record<string, string>): FilterResult<FilterNode> {
  const parsed = validateFilterTemplate(template, Object.keys(values));
  return parsed.ok ? { ok: true, value: substituteFilter(parsed.value, values) } : parsed;
}

/**
 * A validated template's tree with `values` (escaped) in its placeholders: what renderFilterTree
 * does without parsing again (the engine parses each configuration's templates once).
 */
export function substituteFilter(tree: FilterNode, values: Record<string, string>): FilterNode {
  const sub = (v: FilterValue): FilterValue =>
    v.raw.includes("{")
      ? value(v.raw.replace(PLACEHOLDER, (_, name: string) => escapeFilterValue(values[name] ?? "")))
      : v;
  return mapValues(tree, sub);
}

function mapValues(node: FilterNode, sub: (v: FilterValue) => FilterValue): FilterNode {
  switch (node.type) {
    case "and":
    case "or":
      return { ...node, children: node.children.map((child) => mapValues(child, sub)) };
    case "not":
      return { ...node, child: mapValues(node.child, sub) };
    case "present":
      return node;
    case "substring":
      return {
        ...node,
        ...(node.initial ? { initial: sub(node.initial) } : {}),
        any: node.any.map(sub),
        ...(node.final ? { final: sub(node.final) } : {}),
      };
    default:
      return { ...node, value: sub(node.value) };
  }
}

function nodes(node: FilterNode, skipNot = false): FilterNode[] {
  if (node.type === "and" || node.type === "or") return [node, ...node.children.flatMap((c) => nodes(c, skipNot))];
  if (node.type === "not") return skipNot ? [] : [node, ...nodes(node.child)];
  return [node];
}

/** True when the template uses AD's LDAP_MATCHING_RULE_IN_CHAIN (the server expands nesting). */
export function usesInChainRule(template: string): boolean {
  const parsed = parseFilter(template);
  return parsed.ok && nodes(parsed.value).some((n) => n.type === "extensible" && n.matchingRule === IN_CHAIN_OID);
}

/**
 * The attribute compared to the user (`{0}`, `{dn}` or `{username}`) in a group filter, e.g.
 * `member`, `uniqueMember`, `memberUid`: the attribute to follow when expanding nested groups.
 * Negated parts are ignored.
 */
export function memberAttributeOf(template: string): string | undefined {
  const parsed = parseFilter(template);
  if (!parsed.ok) return undefined;
  for (const n of nodes(parsed.value, true)) {
    if ((n.type === "equality" || n.type === "extensible") && n.attribute && /^\{(0|dn|username)\}$/.test(n.value.raw))
      return n.attribute;
  }
  return undefined;
}

/**
 * The object-class clauses of an AD in-chain group filter such as
 * `(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={0}))`, when the portal can resolve it
 * itself: the in-chain rule on the user's DN is the one membership test and the rest only names
 * object classes, so walking memberOf finds the groups the server would return. Undefined for
 * any other template.
 */
export function inChainClassClauses(template: string): FilterNode[] | undefined {
  const parsed = parseFilter(template);
  if (!parsed.ok) return undefined;
  const parts = parsed.value.type === "and" ? parsed.value.children : [parsed.value];
  const chain = parts.filter(
    (n) =>
      n.type === "extensible" &&
      n.matchingRule === IN_CHAIN_OID &&
      !n.dnAttributes &&
      n.attribute?.toLowerCase() === "member" &&
      /^\{(0|dn)\}$/.test(n.value.raw),
  );
  const classClauses = parts.filter(
    (n) => n.type === "equality" && CLASS_ATTRIBUTES.has(n.attribute.toLowerCase()) && !n.value.raw.includes("{"),
  );
  return chain.length === 1 && chain.length + classClauses.length === parts.length ? classClauses : undefined;
}
