import { readinessResponse } from "./probe-response";

export const dynamic = "force-dynamic";

/**
 * The first health check, kept for the load balancers and scripts that use it: it answers as
 * /api/health/ready does, with its original `"database": "ok"` on success.
 */
export function GET() {
  return readinessResponse({ database: "ok" });
}
