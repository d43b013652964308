import "server-only";
import type { LdapUser } from "./authenticate";
import type { LdapConfig } from "../config";
import { bindConnection, connectWithFailover, openNow, type Connection } from "./connection";
import { isConnectionError, ldapError, type Result } from "../errors";
import { poolOf } from "./pool";
import type { CompiledConfiguration } from "./registry";
import type { Trace } from "./trace";

/** What the caller of `authenticate` may decide before the user's bind. */
export interface UserBindOptions {
  /**
   * Runs once the user was found, before the bind; false refuses the attempt (`attempt_refused`)
   * without sending anything as the user. For a throttle that counts attempts per account.
   */
  beforeUserBind?: (user: LdapUser) => Promise<boolean>;
}

export interface UserBindSession {
  config: LdapConfig;
  compiled: CompiledConfiguration;
  trace: Trace;
  /** A fresh, traced connection for the bind (diagnose) instead of the bind pool. */
  diagnose: boolean;
  beforeUserBind?: UserBindOptions["beforeUserBind"];
  /** Set once the hook ran or the bind left: the attempt must then not be repeated. */
  attempted: boolean;
}

/**
 * The caller's hook, then the user's own bind on its own connection (the service connection is
 * never re-bound). Sent at most once: Active Directory counts every bad bind toward a lockout,
 * also one whose answer was lost, so a bind that failed at the connection is reported, not
 * repeated. (The pool never hands out a connection it saw closed.)
 */
export async function attemptUserBind(
  session: UserBindSession,
  user: LdapUser,
  password: string,
): Promise<Result<void>> {
  const { config, compiled, trace } = session;
  session.attempted = true;
  if (session.beforeUserBind && !(await session.beforeUserBind(user))) {
    const error = ldapError("attempt_refused", "user_bind", {
      detail: `beforeUserBind refused the attempt for ${user.dn}`,
    });
    trace.add({ name: "user_bind", ok: false, ms: 0, detail: { dn: user.dn, refused: "beforeUserBind" }, error });
    return { ok: false, error };
  }
  const bind = (connection: Connection) => bindConnection(connection, user.dn, password, "user_bind", config, trace);
  if (session.diagnose) {
    const opened = await connectWithFailover(compiled, trace, bind);
    if (opened.ok) await opened.value.close();
    return opened.ok ? { ok: true, value: undefined } : opened;
  }
  // Opened at creation, so a dead first URL fails over here instead of failing the bind later.
  const pool = poolOf(compiled, "bind", () => connectWithFailover(compiled, undefined, openNow(config)));
  return pool.withConnection(async (connection) => {
    const outcome = await bind(connection);
    return { result: outcome, healthy: outcome.ok || !isConnectionError(outcome.error) };
  });
}
