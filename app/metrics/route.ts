import { env } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER, CLIENT_ADDRESS_MARK } from "@/lib/http/client-address.mjs";
import { mayReadMetrics } from "@/lib/observability/metrics-access";
import { metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

/**
 * The client address scripts/server.mjs worked out from the socket (it replaces any copy the
 * client sent); served another way nothing vouches for the header and there is no address.
 */
function trustedClientAddress(headers: Headers): string | undefined {
  if ((globalThis as Record<symbol, unknown>)[CLIENT_ADDRESS_MARK] !== true) return undefined;
  return headers.get(CLIENT_ADDRESS_HEADER) ?? undefined;
}

/**
 * Prometheus metrics (lib/observability/metrics.ts), outside the portal's sign-in: a scraper
 * sends METRICS_TOKEN as a bearer token, or, without METRICS_TOKEN, scrapes from this machine.
 */
export async function GET(request: Request) {
  const allowed = mayReadMetrics({
    authorization: request.headers.get("authorization"),
    clientAddress: trustedClientAddress(request.headers),
    token: env().metricsToken,
  });
  if (!allowed) {
    return new Response("Unauthorized: send METRICS_TOKEN as a bearer token, or scrape from this machine.\n", {
      status: 401,
      headers: {
        "WWW-Authenticate": 'Bearer realm="metrics"',
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
      },
    });
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
}
