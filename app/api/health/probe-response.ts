import { NextResponse } from "next/server";
import { checkReadiness, readinessBody } from "@/lib/db/readiness";

/**
 * The probes' answers: small JSON, never cached, never a cause an anonymous caller should see
 * (the server log has it). Shared by /api/health/live, /api/health/ready and /api/health.
 */

const NO_STORE = { "Cache-Control": "no-store" };

export function probeOk() {
  return NextResponse.json({ status: "ok" }, { headers: NO_STORE });
}

/** 200 when the database answers and its migrations are current, 503 with the reason otherwise. */
export async function readinessResponse(okExtra: Record<string, string> = {}) {
  const readiness = await checkReadiness();
  const body = readiness.ready ? { ...readinessBody(readiness), ...okExtra } : readinessBody(readiness);
  return NextResponse.json(body, { status: readiness.ready ? 200 : 503, headers: NO_STORE });
}
