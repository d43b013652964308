import "server-only";
import {
  AndFilter,
  ApproximateFilter,
  EqualityFilter,
  ExtensibleFilter,
  type Filter,
  GreaterThanEqualsFilter,
  LessThanEqualsFilter,
  NotFilter,
  OrFilter,
  PresenceFilter,
  SubstringFilter,
} from "ldapts";
import { escapeFilterValue, filterValueBuffer, type FilterNode, type FilterValue } from "../filter";

/**
 * Our validated filter tree → ldapts filter objects. ldapts's own string parser rejects
 * attribute options and OIDs and mis-decodes escaped UTF-8, so strings never reach it.
 */
export function toLdaptsFilter(node: FilterNode): Filter {
  switch (node.type) {
    case "and":
      return new AndFilter({ filters: node.children.map(toLdaptsFilter) });
    case "or":
      return new OrFilter({ filters: node.children.map(toLdaptsFilter) });
    case "not":
      return new NotFilter({ filter: toLdaptsFilter(node.child) });
    case "equality":
      // Exact bytes, so binary values such as an escaped objectGUID arrive intact.
      return new EqualityFilter({ attribute: node.attribute, value: filterValueBuffer(node.value.raw) });
    case "ge":
      return new GreaterThanEqualsFilter({ attribute: node.attribute, value: node.value.value });
    case "le":
      return new LessThanEqualsFilter({ attribute: node.attribute, value: node.value.value });
    case "approx":
      return new ApproximateFilter({ attribute: node.attribute, value: node.value.value });
    case "present":
      return new PresenceFilter({ attribute: node.attribute });
    case "substring":
      return new SubstringFilter({
        attribute: node.attribute,
        initial: node.initial?.value ?? "",
        any: node.any.map((part) => part.value),
        final: node.final?.value ?? "",
      });
    case "extensible":
      return new ExtensibleFilter({
        ...(node.matchingRule ? { rule: node.matchingRule } : {}),
        ...(node.attribute ? { matchType: node.attribute } : {}),
        value: node.value.value,
        dnAttributes: node.dnAttributes,
      });
  }
}

/** A literal value as a filter value (escaped for display, exact for the wire). */
export function literal(value: string): FilterValue {
  return { raw: escapeFilterValue(value), value };
}

/** `(|(attribute=v1)(attribute=v2)…)` as a tree: values never pass through filter text. */
export function anyOf(attribute: string, values: string[]): FilterNode {
  const children: FilterNode[] = values.map((value) => ({ type: "equality", attribute, value: literal(value) }));
  return children.length === 1 ? children[0]! : { type: "or", children };
}
