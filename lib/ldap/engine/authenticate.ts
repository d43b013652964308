import "server-only";
import type { Entry } from "ldapts";
import type { LdapConfig } from "../config";
import { connectWithFailover, serviceBind, type Connection } from "./connection";
import { ldapError, isConnectionError, type LdapError, type Result } from "../errors";
import { stringifyFilter, substituteFilter } from "../filter";
import { hasGroup, resolveGroups, type GroupResolution } from "./groups";
import { memberOfIsRanged, memberOfValues } from "./member-of-walk";
import { toLdaptsFilter } from "./ldapts-filter";
import { hasControlCharacters, parseLogin, type ParsedLogin } from "../login";
import { poolOf } from "./pool";
import { compiled as compiledFor } from "./registry";
import { accountStateOf } from "./account-state";
import { directoryIdOf, firstValue, searchAll, textAttributes } from "./search";
import { Trace } from "./trace";
import { attemptUserBind, type UserBindOptions, type UserBindSession } from "./user-bind";

export interface LdapUser {
  dn: string;
  directoryId: string | undefined;
  username: string;
  email: string | undefined;
  displayName: string | undefined;
  /** The attributes read from the entry, as text (binary ones left out). */
  attributes: Record<string, string[]>;
}

export interface AuthenticatedUser {
  user: LdapUser;
  /** Every group DN, direct and nested. */
  groups: string[];
  groupResolution: GroupResolution;
}

function toUser(entry: Entry, login: ParsedLogin, config: LdapConfig): LdapUser {
  const attributes = textAttributes(entry);
  return {
    dn: entry.dn,
    directoryId: directoryIdOf(entry),
    username: login.user,
    email: firstValue(entry, config.emailAttribute),
    displayName: firstValue(entry, "displayName") ?? firstValue(entry, "cn"),
    attributes,
  };
}

interface Session extends UserBindSession {
  /** Look-up mode (no password) or a fresh, traced connection per step: the admin's diagnose. */
  diagnose: boolean;
}

/** Connects (with failover) and binds the service account. */
function openServiceConnection(session: Session): Promise<Result<Connection>> {
  return connectWithFailover(session.compiled, session.trace, serviceBind(session.config, session.trace));
}

async function findUser(session: Session, connection: Connection, login: ParsedLogin): Promise<Result<LdapUser>> {
  const { config, trace, compiled } = session;
  return trace.step("user_search", async (detail) => {
    const template = compiled.searchFilter;
    if (!template.ok)
      return {
        ok: false,
        error: ldapError("invalid_filter", "user_search", { detail: `Search Filter: ${template.error.message}` }),
      };
    const tree = substituteFilter(template.value, { "0": login.user, username: login.user, login: login.login });
    const filterText = () => stringifyFilter(tree);
    const scope = config.searchSubtree ? "sub" : "one";
    if (trace.recording) Object.assign(detail, { base: config.searchBase, scope, filter: filterText() });
    // ldapts would silently reconnect a dropped socket without binding: refuse to search on it.
    if (!connection.isAlive())
      return {
        ok: false,
        error: ldapError("connection_reset", "user_search", {
          detail: `the pooled connection to ${connection.url} was closed`,
        }),
      };
    // No paging and no size limit: a filter matching several entries is user_ambiguous, and one
    // matching more than the server's limit is refused by the server (reported the same way).
    const found = await searchAll(
      connection.client,
      config.searchBase,
      {
        scope,
        filter: toLdaptsFilter(tree),
        attributes: session.diagnose ? compiled.attributes.diagnose : compiled.attributes.signIn,
      },
      "user_search",
      { url: connection.url, timeoutMs: config.operationTimeoutMs, observer: compiled.observer },
    );
    connection.settle();
    if (!found.ok) {
      const anonymous =
        !config.serviceAccountDn.trim() && ["unknown", "insufficient_access"].includes(found.error.code);
      return anonymous
        ? {
            ok: false,
            error: ldapError("anonymous_search_refused", "user_search", {
              serverDiagnostic: found.error.serverDiagnostic,
            }),
          }
        : found;
    }
    detail.entries = found.value.length;
    if (found.value.length === 0)
      return {
        ok: false,
        error: ldapError("user_not_found", "user_search", {
          detail: `no entry matched ${filterText()} under ${config.searchBase}`,
        }),
      };
    if (found.value.length > 1) {
      return {
        ok: false,
        error: ldapError("user_ambiguous", "user_search", { detail: found.value.map((entry) => entry.dn).join("; ") }),
      };
    }
    const user = toUser(found.value[0]!, login, config);
    Object.assign(detail, { dn: user.dn, email: user.email ?? null, directoryId: user.directoryId ?? null });
    return { ok: true, value: user };
  });
}

/** `mayRemember`: whether what the group queries read may go to the nesting cache (the bind succeeded). */
async function groupsOf(
  session: Session,
  connection: Connection,
  user: LdapUser,
  mayRemember: Promise<boolean>,
): Promise<Result<GroupResolution>> {
  const { compiled, trace } = session;
  return trace.step("groups", async (detail) => {
    const resolved = await resolveGroups(
      {
        client: connection.client,
        compiled,
        url: connection.url,
        isAlive: () => connection.isAlive(),
        readCache: !session.diagnose,
        mayRemember,
      },
      {
        dn: user.dn,
        username: user.username,
        memberOf: memberOfValues({ dn: user.dn, ...user.attributes } as Entry),
        memberOfComplete: !memberOfIsRanged(user.attributes),
      },
    );
    if (resolved.ok && trace.recording) {
      const { strategy, direct, all, queries, depth, complete, incompleteReason, cachedNesting } = resolved.value;
      const directSet = new Set(direct);
      Object.assign(detail, {
        strategy,
        queries: queries.length,
        filters: queries,
        depth,
        direct,
        nested: all.filter((dn) => !directSet.has(dn)),
        complete,
        ...(incompleteReason ? { incompleteReason } : {}),
        ...(cachedNesting ? { cachedNesting } : {}),
      });
    }
    return resolved;
  });
}

/** Everything after the service bind, on one service connection. */
async function loginOnConnection(
  session: Session,
  connection: Connection,
  login: ParsedLogin,
  password: string | undefined,
): Promise<Result<AuthenticatedUser>> {
  const { config, trace } = session;
  const found = await findUser(session, connection, login);
  if (!found.ok) return found;
  const user = found.value;

  let groups: Result<GroupResolution>;
  if (password !== undefined && !session.diagnose) {
    // The user bind (on its own connection) and the group queries (on the service connection)
    // do not depend on each other: together they cost one round trip less. The groups are
    // used only once the bind succeeded. Diagnose keeps them in order for a readable trace.
    // A failed login leaves nothing behind: the nesting read meanwhile is remembered only after a successful bind.
    const binding = attemptUserBind(session, user, password);
    const resolving = groupsOf(
      session,
      connection,
      user,
      binding.then(
        (outcome) => outcome.ok,
        () => false,
      ),
    );
    // Both settle before the service connection goes back to the pool, even if the caller's hook threw.
    const [bound, resolved] = await Promise.allSettled([binding, resolving]);
    if (bound.status === "rejected") throw bound.reason;
    if (resolved.status === "rejected") throw resolved.reason;
    if (!bound.value.ok) return bound.value;
    groups = resolved.value;
  } else {
    if (password !== undefined) {
      const bound = await attemptUserBind(session, user, password);
      if (!bound.ok) return bound;
    }
    // What the directory records about the account, so look-up mode can warn without a password.
    const accountState = accountStateOf(user.attributes);
    trace.add({ name: "account_state", ok: accountState.usable, ms: 0, detail: { ...accountState } });
    groups = await groupsOf(session, connection, user, Promise.resolve(true));
  }
  if (!groups.ok) return groups;

  if (config.requiredGroupDn?.trim()) {
    // A group missing from an incomplete set may be a membership that was not read: still refused (not confirmed).
    const { all, complete, incompleteReason } = groups.value;
    const member = hasGroup(all, config.requiredGroupDn);
    const why = complete ? "" : ` among the groups confirmed (group resolution incomplete: ${incompleteReason})`;
    const error = member
      ? undefined
      : ldapError("user_not_allowed", "required_group", {
          detail: `${user.dn} is not in ${config.requiredGroupDn}${why}`,
        });
    trace.add({
      name: "required_group",
      ok: member,
      ms: 0,
      detail: { required: config.requiredGroupDn, member, ...(complete ? {} : { complete }) },
      ...(error ? { error } : {}),
    });
    if (error) return { ok: false, error };
  }
  return { ok: true, value: { user, groups: groups.value.all, groupResolution: groups.value } };
}

/**
 * The login shared by `authenticate` (pooled service connection) and `diagnose` (fresh, fully
 * traced connections). Without a password it stops before the user bind: look-up mode.
 */
export async function runLogin(
  config: LdapConfig,
  rawLogin: string,
  password: string | undefined,
  options: { diagnose: boolean; trace?: Trace } & UserBindOptions,
): Promise<{ result: Result<AuthenticatedUser>; trace: Trace }> {
  const trace = options.trace ?? new Trace(options.diagnose);
  const compiled = compiledFor(config);
  const session: Session = {
    config,
    compiled,
    trace,
    diagnose: options.diagnose,
    beforeUserBind: options.beforeUserBind,
    attempted: false,
  };
  const fail = (error: LdapError) => ({ result: { ok: false as const, error }, trace });

  const invalid = compiled.invalid;
  if (invalid) {
    trace.add({ name: "config", ok: false, ms: 0, detail: {}, error: invalid });
    return fail(invalid);
  }
  const parsed = parseLogin(rawLogin);
  if (!parsed.ok) {
    const error = ldapError("invalid_login", "login", { detail: parsed.error.message });
    trace.add({ name: "login", ok: false, ms: 0, detail: { code: parsed.error.code }, error });
    return fail(error);
  }
  trace.add({
    name: "login",
    ok: true,
    ms: 0,
    detail: { login: parsed.value.login, user: parsed.value.user, domain: parsed.value.domain ?? null },
  });
  // An empty password is an anonymous bind that "succeeds" on many servers: refuse before any I/O.
  if (password !== undefined && password.trim() === "") {
    const error = ldapError("empty_password", "user_bind");
    trace.add({ name: "user_bind", ok: false, ms: 0, detail: {}, error });
    return fail(error);
  }
  // Samba cuts a password at NUL (the right one + NUL + anything signs in): no control character is sent.
  if (password !== undefined && hasControlCharacters(password)) {
    const error = ldapError("invalid_credentials", "user_bind", {
      detail: "the password contains control characters: refused before any bind",
    });
    trace.add({
      name: "user_bind",
      ok: false,
      ms: 0,
      detail: { refused: "control characters in the password" },
      error,
    });
    return fail(error);
  }

  if (options.diagnose) {
    const opened = await openServiceConnection(session);
    if (!opened.ok) return fail(opened.error);
    try {
      return { result: await loginOnConnection(session, opened.value, parsed.value, password), trace };
    } finally {
      await opened.value.close();
    }
  }

  const pool = poolOf(compiled, "service", () => openServiceConnection({ ...session, trace: new Trace(false) }));
  for (let attempt = 1; ; attempt++) {
    let staleConnection = false;
    const result = await pool.withConnection(async (connection, fresh) => {
      const outcome = await loginOnConnection(session, connection, parsed.value, password);
      // Searches run on the pooled service connection; a connection error there means it broke.
      const broken =
        !outcome.ok && isConnectionError(outcome.error) && ["user_search", "groups"].includes(outcome.error.step);
      staleConnection = broken && !fresh;
      return { result: outcome, healthy: !broken };
    });
    // A pooled connection the server dropped while idle: retry once on a fresh one, unless the
    // attempt itself (the caller's hook, the user's bind) already ran: it runs once.
    if (!staleConnection || attempt > 1 || session.attempted) return { result, trace };
  }
}
