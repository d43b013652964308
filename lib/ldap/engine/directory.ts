import "server-only";
import { configError, type LdapConfig } from "../config";
import { compiled as compiledFor } from "./registry";
import { connectWithFailover, serviceBind, type Connection } from "./connection";
import type { LdapError, Result } from "../errors";
import { literal, toLdaptsFilter } from "./ldapts-filter";
import { probeOnClient, type ProbeResult } from "./probe";
import { firstValue, pagedSearch } from "./search";
import { Trace } from "./trace";
import type { FilterNode } from "../filter";

/** A short-lived service connection for admin tools (probe, group picker); always closed. */
async function withServiceConnection<T>(
  config: LdapConfig,
  trace: Trace,
  run: (connection: Connection) => Promise<Result<T>>,
): Promise<Result<T>> {
  const opened = await connectWithFailover(compiledFor(config), trace, serviceBind(config, trace));
  if (!opened.ok) return opened;
  try {
    return await run(opened.value);
  } finally {
    await opened.value.close();
  }
}

/** Vendor, naming contexts, controls and the preset that fits. Needs only the URL and TLS settings. */
export async function probe(config: LdapConfig): Promise<{ result: Result<ProbeResult>; trace: Trace }> {
  const trace = new Trace();
  const urlProblem = configError({
    ...config,
    searchBase: config.searchBase || "dc=example",
    searchFilter: config.searchFilter || "(uid={0})",
  });
  if (urlProblem) return { result: { ok: false, error: urlProblem }, trace };
  const result = await withServiceConnection(config, trace, (connection) =>
    trace.step("probe", async () => probeOnClient(connection.client, config, connection.url)),
  );
  return { result, trace };
}

export interface GroupMatch {
  dn: string;
  name: string;
}

const GROUP_CLASSES = ["group", "groupOfNames", "groupOfUniqueNames", "posixGroup"];
export const GROUP_SEARCH_LIMIT = 50;

/** Groups whose name contains `text`, for picking a DN in the UI (paged, at most 50). */
export async function searchGroups(config: LdapConfig, text: string): Promise<Result<GroupMatch[]>> {
  const invalid = compiledFor(config).invalid;
  if (invalid) return { ok: false, error: invalid };
  const needle = text.trim().slice(0, 100);
  const isGroup: FilterNode = {
    type: "or",
    children: GROUP_CLASSES.map((name) => ({ type: "equality", attribute: "objectClass", value: literal(name) })),
  };
  const filter: FilterNode = needle
    ? { type: "and", children: [isGroup, { type: "substring", attribute: "cn", any: [literal(needle)] }] }
    : isGroup;
  return withServiceConnection(config, new Trace(), async (connection) => {
    const { observer } = compiledFor(config);
    const found = await pagedSearch(
      connection.client,
      config.searchBase,
      {
        scope: config.searchSubtree ? "sub" : "one",
        filter: toLdaptsFilter(filter),
        attributes: ["cn"],
        limit: GROUP_SEARCH_LIMIT,
        pageSize: GROUP_SEARCH_LIMIT,
      },
      "group_search",
      { url: connection.url, timeoutMs: config.operationTimeoutMs, observer },
    );
    if (!found.ok) return found as { ok: false; error: LdapError };
    const groups = found.value.map((entry) => ({ dn: entry.dn, name: firstValue(entry, "cn") ?? entry.dn }));
    return { ok: true, value: groups.sort((a, b) => a.name.localeCompare(b.name)) };
  });
}
