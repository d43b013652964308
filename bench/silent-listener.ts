// A TCP listener on 127.0.0.1 that accepts connections and never sends a byte: the "server that
// hangs" fault from DIRECTORIES.md. TCP connect succeeds, so only a timeout on the first
// exchange (TLS handshake, StartTLS or bind) can get a client past it.
import net from "node:net";

export interface SilentListener {
  port: number;
  accepted: () => number;
  close(): Promise<void>;
}

export async function silentListener(): Promise<SilentListener> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    // Read and discard whatever arrives; never answer.
    socket.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
