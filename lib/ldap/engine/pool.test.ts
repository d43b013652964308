import { afterEach, describe, expect, it } from "vitest";
import type { Connection } from "./connection";
import { ConnectionPool } from "./pool";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fakeConnection(): Connection {
  return {
    client: {} as Connection["client"],
    url: "ldap://test",
    close: async () => {},
    settle: () => {},
    isAlive: () => true,
    connectMs: () => 0,
  };
}

const pools: ConnectionPool[] = [];
afterEach(async () => Promise.all(pools.splice(0).map((pool) => pool.close())));

describe("ConnectionPool", () => {
  it("a burst that arrives before any connection is open shares the new connections (not one login per connection)", async () => {
    const pool = new ConnectionPool(async () => (await sleep(5), { ok: true, value: fakeConnection() }), {
      max: 2,
      sharing: 4,
      waitMs: 1_000,
    });
    pools.push(pool);
    let running = 0;
    let most = 0;
    const login = () =>
      pool.withConnection(async () => {
        most = Math.max(most, ++running);
        await sleep(20);
        running -= 1;
        return { result: { ok: true, value: undefined }, healthy: true };
      });
    const results = await Promise.all(Array.from({ length: 8 }, login));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(most).toBe(8);
  });

  it("opens at most two connections at a time (a burst must not overflow a listen backlog), and grows to max", async () => {
    let opening = 0;
    let mostOpening = 0;
    let opened = 0;
    const create = async () => {
      mostOpening = Math.max(mostOpening, ++opening);
      await sleep(5);
      opening -= 1;
      opened += 1;
      return { ok: true as const, value: fakeConnection() };
    };
    const pool = new ConnectionPool(create, { max: 8, sharing: 1, waitMs: 1_000 });
    pools.push(pool);
    const login = () =>
      pool.withConnection(async () => (await sleep(30), { result: { ok: true, value: undefined }, healthy: true }));
    const results = await Promise.all(Array.from({ length: 16 }, login));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(mostOpening).toBe(2);
    expect(opened).toBe(8);
  });
});
