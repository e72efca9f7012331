// A TCP proxy on 127.0.0.1 that puts a storage endpoint "at a distance": it adds a round-trip
// time and caps the bandwidth, in both directions, without reordering bytes (this kernel has no
// netem). Used by `npm run bench:upload -- --rtt <ms> --bandwidth <Mbit/s>`; run on its own,
// it prints one JSON line `{"port":N}` when listening:
//
//   node scripts/bench/delayProxy.mjs --upstream 127.0.0.1:10000 --rtt 20 [--bandwidth 200]
//
// What it models:
// - Each direction is a link of its own shared by every connection (the bandwidth cap applies to
//   all of them together, as on a real uplink): a chunk leaves when the link is free and its
//   bytes have been serialized at the cap, and arrives rtt/2 later. Chunks are cut to 64 KiB,
//   so one large write does not hold the link in one piece. Order within a connection is kept
//   (release times only grow).
// - Connection setup: a client's connect completes at once on loopback, where a real one waits
//   for SYN/SYN-ACK; so the first bytes of a new connection are held one more round trip (they
//   arrive at the service 1.5 RTT after connect, its answer 2 RTT after). Keep-alive connections
//   do not pay it again. TLS is not modelled (the local endpoint is plain HTTP; over HTTPS a new
//   connection costs one or two round trips more, which favours keep-alive even more).
// - Flow control: at most `window` bytes (default 4 MiB, a well-tuned TCP window) of a connection
//   are queued in the proxy per direction; the reading side is paused past that.
import * as net from 'node:net';
import { pathToFileURL } from 'node:url';

const chunkLimit = 64 * 1024;

/** One direction of the link: serialization at the cap, then propagation of rtt/2. */
class Link {
  constructor(halfRttMs, bytesPerMs) {
    this.halfRttMs = halfRttMs;
    this.bytesPerMs = bytesPerMs;
    this.freeAt = 0;
  }

  /** When a chunk of `bytes` arriving now is delivered (not before `notBefore`, its connection's handshake). */
  deliveryTime(now, bytes, notBefore) {
    let leaves = now;
    if (this.bytesPerMs) {
      leaves = Math.max(now, this.freeAt) + bytes / this.bytesPerMs;
      this.freeAt = leaves;
    }
    return Math.max(leaves + this.halfRttMs, notBefore);
  }
}

/** One direction of one connection: chunks waiting for their delivery time, in order. */
class Pipe {
  constructor(from, to, link, windowBytes, firstAt) {
    this.from = from;
    this.to = to;
    this.link = link;
    this.windowBytes = windowBytes;
    this.firstAt = firstAt;
    this.queue = [];
    this.queued = 0;
    this.timer = undefined;
    this.ended = false;
    from.on('data', (data) => this.push(data));
    from.on('end', () => {
      this.ended = true;
      this.flush();
    });
  }

  push(data) {
    const now = performance.now();
    for (let offset = 0; offset < data.length; offset += chunkLimit) {
      const chunk = data.subarray(offset, offset + chunkLimit);
      this.queue.push({ at: this.link.deliveryTime(now, chunk.length, this.firstAt), chunk });
      this.queued += chunk.length;
    }
    if (this.queued > this.windowBytes) this.from.pause();
    this.schedule();
  }

  schedule() {
    if (this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, this.queue[0].at - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  flush() {
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0].at <= now + 0.5) {
      const { chunk } = this.queue.shift();
      this.queued -= chunk.length;
      if (!this.to.destroyed) this.to.write(chunk);
    }
    if (this.queued <= this.windowBytes / 2 && this.from.isPaused()) this.from.resume();
    if (this.queue.length > 0) this.schedule();
    else if (this.ended && !this.to.destroyed) this.to.end();
  }

  close() {
    clearTimeout(this.timer);
    this.queue = [];
  }
}

/**
 * Starts the proxy. `rttMs` is added to every round trip; `mbitPerSecond` caps each direction
 * (0: no cap). Answers `{ port, close() }`.
 */
export async function startDelayProxy({ upstreamHost = '127.0.0.1', upstreamPort, rttMs = 0, mbitPerSecond = 0, windowBytes = 4 * 1024 * 1024 }) {
  const bytesPerMs = mbitPerSecond > 0 ? (mbitPerSecond * 1e6) / 8 / 1000 : 0;
  const up = new Link(rttMs / 2, bytesPerMs);
  const down = new Link(rttMs / 2, bytesPerMs);
  const sockets = new Set();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    client.setNoDelay(true);
    // The handshake's round trip: the first bytes may not arrive before connect + 1.5 RTT.
    const firstAt = performance.now() + rttMs * 1.5;
    const service = net.connect({ host: upstreamHost, port: upstreamPort, allowHalfOpen: true });
    service.setNoDelay(true);
    sockets.add(client);
    sockets.add(service);
    const pipes = [new Pipe(client, service, up, windowBytes, firstAt), new Pipe(service, client, down, windowBytes, 0)];
    const closeBoth = () => {
      for (const pipe of pipes) pipe.close();
      client.destroy();
      service.destroy();
      sockets.delete(client);
      sockets.delete(service);
    };
    client.on('error', closeBoth);
    service.on('error', closeBoth);
    // A side that ended cleanly is ended on the other side by its pipe, once its bytes are delivered.
    client.on('close', () => {
      if (!pipes[0].ended) setTimeout(closeBoth, rttMs / 2);
    });
    service.on('close', () => {
      if (!pipes[1].ended) setTimeout(closeBoth, rttMs / 2);
      else if (pipes[0].ended) closeBoth();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const [host, port] = option('upstream', '').split(':');
  const proxy = await startDelayProxy({
    upstreamHost: host || '127.0.0.1', upstreamPort: Number(port), rttMs: Number(option('rtt', '0')), mbitPerSecond: Number(option('bandwidth', '0')),
  });
  process.stdout.write(`${JSON.stringify({ port: proxy.port })}\n`);
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
