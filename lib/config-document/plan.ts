/**
 * An import's plan: the portal's current configurations and groups plus a parsed document give
 * what to create, update or leave unchanged, each with a line an administrator reads, and the
 * writes that make it so; or the first problem, named by its path in the document. Everything is
 * checked here, before anything is written. Pure: unit tested.
 *
 * Entries are matched by name (regardless of case), built-in groups by their systemKey (or
 * name). What the document leaves out is left as it is: an import never deletes.
 */
import { groupMappingRefusal } from "@/lib/auth/admin-rules";
import { routingConflict } from "@/lib/configurations/routing";
import { servicePasswordError } from "@/lib/configurations/secret-reuse";
import type {
  ConfigDocumentState,
  ConfigWrite,
  GroupWrite,
  StoredConfigValues,
  StoredGroup,
} from "@/lib/db/config-document";
import { normalizeDn } from "@/lib/ldap/dn";
import { PRIORITY_RANGE } from "@/lib/validation/group";
import {
  CONFIG_FIELDS,
  formatPath,
  PASSWORD_ENV_FIELD,
  type ConfigDocument,
  type DocumentConfig,
  type DocumentGroup,
} from "./schema";

export interface PlanContext {
  state: ConfigDocumentState;
  /** Where the passwords the document names come from (the process environment). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The stored passwords, decrypted, of the portal's configurations the document names a variable
   * for (null: none stored, or the encryption key cannot read it).
   */
  storedPasswords: ReadonlyMap<string, string | null>;
  /** The server's check of a pasted CA certificate (the form's, lib/ldap's pemProblem). */
  pemProblem: (pem: string) => string | undefined;
}

export type ChangeAction = "create" | "update" | "unchanged";

export interface PlannedChange {
  subject: "configuration" | "group";
  name: string;
  action: ChangeAction;
  /** What changes, one short phrase each (no secret, no setting value). */
  details: string[];
}

export interface ImportPlan {
  /** Every entry of the document, configurations first, in its order. */
  changes: PlannedChange[];
  /** What the document says that the import does not apply, and why. */
  notes: string[];
  /** The portal's configurations and groups the document does not mention: left as they are. */
  leftAlone: string[];
  writes: { configs: ConfigWrite[]; groups: GroupWrite[] };
}

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; error: string };

type Path = (string | number)[];
interface Problem {
  path: Path;
  message: string;
}

const GROUP_FIELD_ORDER = ["name", "systemKey", "description", "priority", "ldapMappings", "settings"];

/** Document order: configurations before groups, entries by index, fields in their order, rows by index. */
function documentOrder(a: Path, b: Path): number {
  const rank = (path: Path) => [
    path[0] === "configs" ? 0 : 1,
    Number(path[1] ?? 0),
    (path[0] === "configs" ? (CONFIG_FIELDS as string[]) : GROUP_FIELD_ORDER).indexOf(String(path[2] ?? "")),
    Number(path[3] ?? -1),
  ];
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

const LONG_TEXT = 80;

/** A field's change as one phrase; long or multi-line text (a CA certificate) only says that it changed. */
function fieldChange(field: string, before: unknown, after: unknown): string {
  const long = (value: unknown) => typeof value === "string" && (value.includes("\n") || value.length > LONG_TEXT);
  if (long(before) || long(after)) {
    return `${field}: ${before === "" ? "set" : after === "" ? "cleared" : "changed"}`;
  }
  return `${field}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`;
}

const lower = (name: string) => name.toLowerCase();

function planConfigs(document: ConfigDocument, context: PlanContext, problems: Problem[]) {
  const stored = new Map(context.state.configs.map((config) => [lower(config.values.name), config]));
  const changes: PlannedChange[] = [];
  const writes: ConfigWrite[] = [];
  /** The configurations once the import is written: name → routing fields. */
  const final = new Map<string, StoredConfigValues>(
    context.state.configs.map((config) => [lower(config.values.name), config.values]),
  );
  const changed: { index: number; values: StoredConfigValues }[] = [];

  document.configs.forEach((entry: DocumentConfig, index) => {
    const { [PASSWORD_ENV_FIELD]: passwordEnv, ...values } = entry;
    const match = stored.get(lower(values.name));
    const problem = (field: string, message: string) => problems.push({ path: ["configs", index, field], message });

    const pem = values.caCertificate ? context.pemProblem(values.caCertificate) : undefined;
    if (pem) problem("caCertificate", pem);

    // Field changes in the form's order (a new configuration: where it connects), the password last.
    const details: string[] = match
      ? (Object.keys(values) as (keyof StoredConfigValues)[])
          .filter((field) => values[field] !== match.values[field])
          .map((field) => fieldChange(field, match.values[field], values[field]))
      : [`${values.url}, ${values.searchBase}${values.enabled ? "" : ", disabled"}`];
    let password: string | undefined;
    if (passwordEnv) {
      const given = context.env[passwordEnv];
      if (!given) {
        problem(
          PASSWORD_ENV_FIELD,
          `The environment variable ${passwordEnv} is ${given === undefined ? "not set" : "empty"}: set it to the Service Account Password of "${values.name}"`,
        );
      } else if (!match || context.storedPasswords.get(match.id) !== given) {
        password = given;
        details.push(`Service Account Password ${match ? "replaced " : ""}from ${passwordEnv}`);
      }
    } else if (
      servicePasswordError(
        { ...values, serviceAccountPassword: "" },
        match ? { destination: match.values, hasPassword: match.hasPassword } : undefined,
      )
    ) {
      // The stored password is only ever sent where it was given for (as in the form).
      problem(
        PASSWORD_ENV_FIELD,
        match?.hasPassword
          ? `"${values.name}" changes its URL, Failover URLs, Service Account DN or TLS settings, and the stored password goes only where it was given for: name the environment variable that holds the Service Account Password`
          : `"${values.name}" has a Service Account DN and no stored password: name the environment variable that holds it ("${PASSWORD_ENV_FIELD}": "LDAP_BIND_PW")`,
      );
    }

    const action: ChangeAction = !match ? "create" : details.length > 0 ? "update" : "unchanged";
    changes.push({ subject: "configuration", name: values.name, action, details });
    if (action !== "unchanged") {
      writes.push({ ...(match ? { id: match.id } : {}), values, ...(password !== undefined ? { password } : {}) });
      changed.push({ index, values });
    }
    if (match) final.delete(lower(match.values.name));
    final.set(lower(values.name), values);
  });

  // Two enabled configurations for one domain need an order between them (as the form checks).
  for (const { index, values } of changed) {
    if (!values.enabled) continue;
    const others = [...final.values()].filter((other) => lower(other.name) !== lower(values.name));
    const conflict = routingConflict(values, others);
    if (conflict) problems.push({ path: ["configs", index, "displayOrder"], message: conflict });
  }

  const leftAlone = context.state.configs
    .filter((config) => !document.configs.some((entry) => lower(entry.name) === lower(config.values.name)))
    .map((config) => `configuration "${config.values.name}"`);
  return { changes, writes, leftAlone, finalNames: new Map([...final.values()].map((v) => [lower(v.name), v.name])) };
}

function mappingKey(configuration: string, dn: string) {
  return `${lower(configuration)}\n${dn}`;
}

function planGroups(
  document: ConfigDocument,
  context: PlanContext,
  configNames: Map<string, string>,
  problems: Problem[],
) {
  const { groups } = context.state;
  const changes: PlannedChange[] = [];
  const writes: GroupWrite[] = [];
  const notes: string[] = [];
  const matched = new Set<string>();
  /** Priorities once the import is written: group id (or the entry's index) → priority and name. */
  const priorities: { owner: string; priority: number; name: string; index?: number }[] = [];

  const resolved = document.groups.map((entry: DocumentGroup, index) => {
    const problem = (path: Path, message: string) => problems.push({ path: ["groups", index, ...path], message });
    const match: StoredGroup | undefined = entry.systemKey
      ? groups.find((group) => group.systemKey === entry.systemKey)
      : groups.find((group) => lower(group.name) === lower(entry.name!));
    if (entry.systemKey && !match) {
      problem(
        ["systemKey"],
        `The built-in group "${entry.systemKey}" does not exist yet: start the portal once (npm start), then import`,
      );
    }
    if (match) matched.add(match.id);
    return { entry, index, match, problem };
  });

  for (const { entry, index, match, problem } of resolved) {
    const system = Boolean(entry.systemKey || match?.systemKey);
    const name = system ? (match?.name ?? entry.name ?? entry.systemKey!) : entry.name!;
    if (system && match) {
      for (const field of ["description", "priority"] as const) {
        if (entry[field] !== undefined) {
          problem(
            [field],
            `${match.name} is a built-in group: the document sets only its ldapMappings and settings (add "systemKey": "${match.systemKey}")`,
          );
        }
      }
      if (entry.name !== undefined && entry.name !== match.name) {
        notes.push(
          `group "${match.name}" is built in, matched by its systemKey "${match.systemKey}": the name "${entry.name}" in the document is not applied`,
        );
      }
      const refusal = groupMappingRefusal(match, entry.ldapMappings.length);
      if (refusal) problem(["ldapMappings"], refusal);
    }
    if (!system && entry.priority === undefined) {
      problem(
        ["priority"],
        `Give the group a priority: a whole number from ${PRIORITY_RANGE.min} to ${PRIORITY_RANGE.max} (a lower number wins)`,
      );
    }

    const ldapMappings = entry.ldapMappings.flatMap((mapping, row) => {
      const configuration = configNames.get(lower(mapping.configuration));
      if (!configuration) {
        problem(
          ["ldapMappings", row, "configuration"],
          `No LDAP configuration is named "${mapping.configuration}" in the document or in the portal`,
        );
        return [];
      }
      const normal = normalizeDn(mapping.dn);
      // The schema parsed every DN already; reaching this is a bug.
      if (!normal.ok) throw new Error(`Unparsable DN reached the import plan: ${normal.error.message}`);
      return [{ configuration, dn: mapping.dn, dnNormalized: normal.value }];
    });

    const fields = system
      ? undefined
      : { name, description: entry.description ?? "", priority: entry.priority ?? PRIORITY_RANGE.min };
    if (fields) priorities.push({ owner: `entry:${index}`, priority: fields.priority, name, index });
    else if (match) priorities.push({ owner: match.id, priority: match.priority, name: match.name });

    const details: string[] = [];
    if (fields && match) {
      for (const field of ["name", "description", "priority"] as const) {
        if (fields[field] !== match[field]) details.push(fieldChange(field, match[field], fields[field]));
      }
    } else if (fields) {
      details.push(`priority ${fields.priority}`);
    }
    const before = new Map(
      (match?.ldapMappings ?? []).map((mapping) => [mappingKey(mapping.configName, mapping.dn), mapping]),
    );
    const after = new Map(ldapMappings.map((mapping) => [mappingKey(mapping.configuration, mapping.dn), mapping]));
    for (const [key, mapping] of after) {
      if (!before.has(key)) details.push(`+ LDAP group ${mapping.dn} (${mapping.configuration})`);
    }
    for (const [key, mapping] of before) {
      if (!after.has(key)) details.push(`− LDAP group ${mapping.dn} (${mapping.configName})`);
    }
    const settingsBefore = new Map((match?.settings ?? []).map((setting) => [setting.key, setting.value]));
    const settingsAfter = new Map(entry.settings.map((setting) => [setting.key, setting.value]));
    // Setting values may be anything an administrator typed: the lines name their keys only.
    for (const [key, value] of settingsAfter) {
      if (!settingsBefore.has(key)) details.push(`+ setting ${key}`);
      else if (settingsBefore.get(key) !== value) details.push(`setting ${key} changed`);
    }
    for (const key of settingsBefore.keys()) if (!settingsAfter.has(key)) details.push(`− setting ${key}`);

    const action: ChangeAction = !match ? "create" : details.length > 0 ? "update" : "unchanged";
    changes.push({ subject: "group", name: fields?.name ?? name, action, details });
    if (action !== "unchanged") {
      writes.push({
        ...(match ? { id: match.id } : {}),
        ...(fields ? { fields } : {}),
        ldapMappings,
        settings: entry.settings,
      });
    }
  }

  // Priorities stay unique: the document's own groups against every group that keeps its number.
  for (const group of groups) {
    if (!matched.has(group.id)) priorities.push({ owner: group.id, priority: group.priority, name: group.name });
  }
  for (const mine of priorities.filter((entry) => entry.index !== undefined)) {
    const other = priorities.find((entry) => entry.owner !== mine.owner && entry.priority === mine.priority);
    if (other) {
      problems.push({
        path: ["groups", mine.index!, "priority"],
        message: `Priority ${mine.priority} is already used by group ${other.name}`,
      });
    }
  }

  const leftAlone = groups.filter((group) => !matched.has(group.id)).map((group) => `group "${group.name}"`);
  return { changes, writes, notes, leftAlone };
}

/** Plans the import of a parsed document into the portal as it is now. */
export function planImport(document: ConfigDocument, context: PlanContext): PlanResult {
  const problems: Problem[] = [];
  const configs = planConfigs(document, context, problems);
  const groups = planGroups(document, context, configs.finalNames, problems);
  const first = problems.sort((a, b) => documentOrder(a.path, b.path))[0];
  if (first) return { ok: false, error: `${formatPath(first.path)}: ${first.message}` };
  return {
    ok: true,
    plan: {
      changes: [...configs.changes, ...groups.changes],
      notes: groups.notes,
      leftAlone: [...configs.leftAlone, ...groups.leftAlone],
      writes: { configs: configs.writes, groups: groups.writes },
    },
  };
}

/** True when the import would write something. */
export function hasChanges(plan: ImportPlan): boolean {
  return plan.changes.some((change) => change.action !== "unchanged");
}

const VERBS: Record<"preview" | "applied", Record<ChangeAction, string>> = {
  preview: { create: "create", update: "update", unchanged: "unchanged" },
  applied: { create: "created", update: "updated", unchanged: "unchanged" },
};

/** One entry's line: `update configuration "Kasm AD": url "…" → "…"`. */
export function describeChange(change: PlannedChange, mode: "preview" | "applied"): string {
  const details = change.details.length > 0 ? `: ${change.details.join("; ")}` : "";
  return `${VERBS[mode][change.action]} ${change.subject} "${change.name}"${details}`;
}

/** The lines of the entries the import changes (or would change). */
export function changeLines(plan: ImportPlan, mode: "preview" | "applied"): string[] {
  return plan.changes.filter((change) => change.action !== "unchanged").map((change) => describeChange(change, mode));
}

/** The plan's summary: how many entries are (or would be) created, updated and left unchanged. */
export function summaryOf(plan: ImportPlan, mode: "preview" | "applied"): string {
  const count = (action: ChangeAction) => plan.changes.filter((change) => change.action === action).length;
  if (!hasChanges(plan)) return "Nothing to change: the portal already matches the document.";
  return mode === "preview"
    ? `${count("create")} to create, ${count("update")} to update, ${count("unchanged")} unchanged.`
    : `Created ${count("create")}, updated ${count("update")}, ${count("unchanged")} unchanged.`;
}

/** The plan as lines: one per entry, the notes, what is left alone, and the summary last. */
export function describePlan(plan: ImportPlan, mode: "preview" | "applied"): string[] {
  return [
    ...plan.changes.map((change) => describeChange(change, mode)),
    ...plan.notes,
    plan.leftAlone.length > 0
      ? `Not in the document, left as they are (an import never deletes): ${plan.leftAlone.join(", ")}`
      : "Everything in the portal is in the document (an import never deletes).",
    summaryOf(plan, mode),
  ];
}
