import { once } from 'node:events';
import * as net from 'node:net';

/** A TCP server on loopback that accepts connections and never answers (a stalled service). */
export interface StalledServer {
  url: string;
  /** Resolves when the next connection arrives (or has already arrived). */
  connected(): Promise<void>;
  /** Connections still open (a client that gave up has closed its own). */
  openConnections(): number;
  close(): Promise<void>;
}

export async function startStalledServer(): Promise<StalledServer> {
  const sockets = new Set<net.Socket>();
  let waiting: Array<() => void> = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
    for (const resolve of waiting) resolve();
    waiting = [];
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connected: () => (sockets.size > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    openConnections: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
