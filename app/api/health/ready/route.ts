import { readinessResponse } from "../probe-response";

export const dynamic = "force-dynamic";

/** Readiness: the database answers and its migrations are current (LDAP directories are not checked). */
export function GET() {
  return readinessResponse();
}
