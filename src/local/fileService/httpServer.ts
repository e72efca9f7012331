import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  port: number;
  /** Stops accepting, lets requests under way finish (up to a grace period), then drops the rest. */
  close(): Promise<void>;
}

/** How long close() lets requests under way finish before dropping their connections. */
const closeGraceMs = 5000;

export async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, host: string, port: number,
): Promise<ListeningServer> {
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const running = handle(req, res)
      .catch(() => {
        res.destroy();
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  });
  // Clients (the SDK) keep connections open between requests; don't close them from under it.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, closeGraceMs).unref());
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      server.closeAllConnections();
      await stopped;
      await Promise.allSettled([...inFlight]);
    })();
    return closing;
  };
  return { port: (server.address() as AddressInfo).port, close };
}
