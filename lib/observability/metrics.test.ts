import { describe, expect, it } from "vitest";
import { metrics, METRIC_PREFIX } from "./metrics";

async function exposition(): Promise<string> {
  return metrics().registry.metrics();
}

describe("the portal's metrics", () => {
  it("are registered once per process, whichever bundle asks", () => {
    expect(metrics()).toBe(metrics());
  });

  it("have the names and labels operators write their queries and alerts against", async () => {
    const names = (await metrics().registry.getMetricsAsJSON()).map((metric) => ({
      name: metric.name,
      type: metric.type,
    }));
    expect(names).toEqual(
      expect.arrayContaining([
        { name: "ldap_portal_sign_ins_total", type: "counter" },
        { name: "ldap_portal_ldap_operation_seconds", type: "histogram" },
        { name: "ldap_portal_ldap_pool_connections", type: "gauge" },
        { name: "ldap_portal_ldap_pool_waits_total", type: "counter" },
        { name: "ldap_portal_ldap_pool_wait_timeouts_total", type: "counter" },
        { name: "ldap_portal_ldap_failover_connections_total", type: "counter" },
        { name: "ldap_portal_directory_sync_runs_total", type: "counter" },
        { name: "ldap_portal_directory_sync_duration_seconds", type: "histogram" },
        { name: "ldap_portal_sign_in_throttle_refusals_total", type: "counter" },
        { name: "ldap_portal_stats_flush_failures_total", type: "counter" },
        // The process defaults keep their standard names.
        { name: "process_cpu_seconds_total", type: "counter" },
        { name: "nodejs_eventloop_lag_seconds", type: "gauge" },
      ]),
    );
    const own = names.filter(({ name }) => !/^(process|nodejs)_/.test(name));
    for (const { name } of own) expect(name.startsWith(METRIC_PREFIX), name).toBe(true);

    const m = metrics();
    m.signIns.labels("success", "Kasm AD").inc();
    m.ldapOperationSeconds.labels("Kasm AD", "bind").observe(0.004);
    const text = await exposition();
    expect(text).toContain('ldap_portal_sign_ins_total{result="success",config="Kasm AD"} 1');
    expect(text).toContain('ldap_portal_ldap_operation_seconds_bucket{le="0.005",config="Kasm AD",operation="bind"} 1');
    expect(text).toContain('ldap_portal_ldap_operation_seconds_count{config="Kasm AD",operation="bind"} 1');
  });

  it("refuse a label the metric does not have (no username or address can slip in)", () => {
    expect(() => metrics().signIns.inc({ result: "success", config: "Kasm AD", user: "someone" } as never)).toThrow(
      /label/i,
    );
  });
});
