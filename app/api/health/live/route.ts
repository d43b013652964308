import { probeOk } from "../probe-response";

export const dynamic = "force-dynamic";

/** Liveness: the process answers requests. Nothing else is checked, so a lost database never restarts it. */
export function GET() {
  return probeOk();
}
