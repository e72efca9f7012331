import { once } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';

/**
 * A forward proxy on loopback that records what it forwarded: `CONNECT host:port` tunnels and
 * plain-HTTP requests in absolute form. Every host name is reached at 127.0.0.1 (so names such
 * as `arm.azml.test` need no DNS), on the port asked for.
 */
export interface RecordingProxy {
  url: string;
  /** `host:port` of each request forwarded, in order. */
  readonly forwarded: string[];
  close(): Promise<void>;
}

export async function startRecordingProxy(): Promise<RecordingProxy> {
  const forwarded: string[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '/');
    forwarded.push(target.host);
    const upstream = http.request({
      host: '127.0.0.1', port: target.port || 80, method: request.method, path: `${target.pathname}${target.search}`,
      headers: request.headers,
    }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connection', track);
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [host, port] = (request.url ?? '').split(':');
    forwarded.push(`${host}:${port}`);
    const upstream = net.connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    forwarded,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
