import { once } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';

/**
 * An HTTPS endpoint on loopback, with a certificate of a private CA, in front of plain-HTTP
 * services: the request's host name picks the service by its first label (`arm.azml.test` →
 * `routes.arm`), or its second for account-style names (`acct.blob.azml.test` → `routes.blob`,
 * path `/acct/...` as the emulators expect); loopback names go to `routes.default`.
 */
export interface TlsFront {
  port: number;
  close(): Promise<void>;
}

export async function startTlsFront(
  certificate: { key: string; cert: string },
  routes: Record<string, string> & { default: string },
): Promise<TlsFront> {
  const server = https.createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    const labels = (request.headers.host ?? '').replace(/:\d+$/, '').split('.');
    const accountStyle = routes[labels[0]!] === undefined && labels[1] !== undefined && routes[labels[1]] !== undefined;
    const origin = new URL(routes[accountStyle ? labels[1]! : labels[0]!] ?? routes.default);
    const forwarded = http.request({
      host: origin.hostname, port: origin.port, method: request.method,
      path: accountStyle ? `/${labels[0]}${request.url ?? '/'}` : request.url,
      headers: { ...request.headers, host: origin.host },
    }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  const sockets = new Set<{ destroy(): void }>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
