// Waits until a directory answers a trivial request quickly again, so that work a previous cell
// left queued on the server (requests whose clients timed out are still executed: Samba runs in
// one process) does not slow down the next cell.
import { Client } from "ldapts";
import type { BenchDirectory } from "./directories";

export class Drainer {
  private readonly client: Client;

  constructor(private readonly d: BenchDirectory) {
    this.client = new Client({
      url: d.url,
      timeout: 5_000,
      connectTimeout: 2_000,
      ...(d.startTls ? {} : { tlsOptions: { host: d.host, ca: [d.ca], minVersion: "TLSv1.2" as const } }),
    });
  }

  private async probe(): Promise<number> {
    const t0 = performance.now();
    try {
      if (this.d.startTls && !this.client.isConnected)
        await this.client.startTLS({ host: this.d.host, ca: [this.d.ca] });
      // The root DSE is readable anonymously on both servers.
      await this.client.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["namingContexts"] });
    } catch {
      return Infinity;
    }
    return performance.now() - t0;
  }

  /** Returns how long it waited: until two probes in a row answer within `quickMs`, at most `maxMs`. */
  async drain(quickMs = 50, maxMs = 15_000): Promise<number> {
    const started = performance.now();
    let quick = 0;
    while (quick < 2 && performance.now() - started < maxMs) {
      quick = (await this.probe()) < quickMs ? quick + 1 : 0;
      if (quick < 2) await new Promise((resolve) => setTimeout(resolve, quick === 0 ? 100 : 0));
    }
    return performance.now() - started;
  }

  async close(): Promise<void> {
    await this.client.unbind().catch(() => {});
  }
}
