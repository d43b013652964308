import net from "node:net";
import { Client } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTED_METHODS, destroySocket, setOperationTimeout } from "./ldapts-internals";

// Fails when ldapts changes the private members ldapts-internals.ts relies on: run it after
// every ldapts upgrade. A loopback listener that never answers stands in for a server.
let server: net.Server;
let url: string;

beforeAll(async () => {
  server = net.createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `ldap://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The private fields as they are, without the engine's typing. */
const fields = (client: Client) => client as unknown as Record<string, unknown>;

describe("ldapts internals used by the engine", () => {
  it("a new Client holds its options in clientOptions, with a numeric timeout, and no socket yet", () => {
    const client = new Client({ url, timeout: 5_000 });
    const options = fields(client).clientOptions as Record<string, unknown>;
    expect(options).toBeTypeOf("object");
    expect(options.url).toBe(url);
    expect(options.timeout).toBe(5_000);
    expect(fields(client).socket).toBeUndefined();
    expect(client.isConnected).toBe(false);
  });

  it("setOperationTimeout applies to the next request: clientOptions.timeout is read per request", async () => {
    const client = new Client({ url, timeout: 5_000 });
    try {
      setOperationTimeout(client, 100);
      const started = performance.now();
      await expect(client.bind("cn=nobody", "secret")).rejects.toThrow(/Operation timed out/);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      destroySocket(client);
    }
  });

  it("while an operation runs, socket is the client's net.Socket, and destroySocket closes it", async () => {
    const client = new Client({ url, timeout: 5_000 });
    const pending = client.bind("cn=nobody", "secret").catch((error: unknown) => error);
    const until = Date.now() + 2_000;
    while (!(fields(client).socket as net.Socket | undefined)?.remoteAddress && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const socket = fields(client).socket;
    expect(socket).toBeInstanceOf(net.Socket);
    expect((socket as net.Socket).destroyed).toBe(false);
    destroySocket(client);
    expect((socket as net.Socket).destroyed).toBe(true);
    expect(await pending).toBeInstanceOf(Error);
  });

  it("the methods the benchmark counts exist on Client.prototype", () => {
    const prototype = Client.prototype as unknown as Record<string, unknown>;
    for (const name of Object.values(COUNTED_METHODS)) expect(prototype[name], name).toBeTypeOf("function");
  });
});
