import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy on 127.0.0.1 that injects network faults between a client and one service.
 *
 * - `drop`: the request reaches the service, then the connection is cut halfway through the
 *   answer (before it when the answer has no body): the client cannot know whether it happened.
 * - `status500`, `status503`: answered by the proxy; the service never sees the request.
 * - `throttle429`: answered by the proxy with `Retry-After`.
 * - `stall`: never answered; the connection is held until the client gives up (its timeout).
 * - `expiredToken`: a bearer request answered 401 as Azure answers an expired token.
 *
 * Which request is faulted is decided by a hash of the seed, the request (method, path, the query
 * without SAS fields, Range) and how many times that request was seen, so the schedule does not
 * depend on the order concurrent requests arrive in. A request is never faulted more than
 * `maxFaultsInARow` times running, so a client that retries enough always gets through.
 */
export type FaultKind = 'drop' | 'status500' | 'status503' | 'throttle429' | 'stall' | 'expiredToken';

export const faultKinds: readonly FaultKind[] = ['drop', 'status500', 'status503', 'throttle429', 'stall', 'expiredToken'];

/** What the proxies saw and did; shared by every proxy of one schedule. */
export interface FaultCounts {
  requests: number;
  faults: Record<FaultKind, number>;
  /** Requests sent again after a fault of the same request. */
  retries: number;
  /** Stalls the proxy had to end itself because the client waited past `stallLimitMs`. */
  stallsOutwaited: number;
}

export interface FaultScheduleOptions {
  seed: number;
  /** Fraction of requests faulted (0..1). */
  rate: number;
  kinds?: readonly FaultKind[];
  maxFaultsInARow?: number;
  /** `Retry-After` of a 429, in seconds. */
  retryAfterSeconds?: number;
  /** How long a stall holds a connection the client keeps open. */
  stallLimitMs?: number;
  /** Only requests whose identity (`<service> <METHOD> <path>?<query> <range>`) matches are faulted. */
  target?: RegExp;
}

/** SAS fields and per-attempt parameters, left out of a request's identity (SAS URLs are re-signed). */
const volatileQueryFields = new Set(['sv', 'ss', 'srt', 'sp', 'se', 'st', 'spr', 'sig', 'sr', 'si', 'skoid', 'sktid', 'skt', 'ske', 'sks', 'skv', 'timeout']);

interface RequestHistory {
  seen: number;
  faultsInARow: number;
}

export class FaultSchedule {
  readonly counts: FaultCounts = {
    requests: 0,
    faults: { drop: 0, status500: 0, status503: 0, throttle429: 0, stall: 0, expiredToken: 0 },
    retries: 0,
    stallsOutwaited: 0,
  };
  readonly options: Required<FaultScheduleOptions>;
  private readonly history = new Map<string, RequestHistory>();
  /** Turned off to set up or check state without faults. */
  enabled = true;
  /** Requests being answered by the proxies of this schedule right now. */
  inFlight = 0;
  /** When set, every request is added in the order it arrived, with the requests in flight with it (itself included). */
  requestLog: Array<{ key: string; inFlight: number }> | undefined;

  constructor(options: FaultScheduleOptions) {
    this.options = {
      kinds: faultKinds, maxFaultsInARow: 2, retryAfterSeconds: 1, stallLimitMs: 60_000, target: /(?:)/, ...options,
    };
  }

  /** Runs `body` with other fault settings, then puts these back. */
  async withOptions<T>(options: Partial<FaultScheduleOptions>, body: () => Promise<T>): Promise<T> {
    const saved = { ...this.options };
    Object.assign(this.options, options);
    try {
      return await body();
    } finally {
      Object.assign(this.options, saved);
    }
  }

  get faultTotal(): number {
    return Object.values(this.counts.faults).reduce((a, b) => a + b, 0);
  }

  /** The fault for this request, if any; `allowed` are the kinds that fit it. */
  decide(key: string, allowed: readonly FaultKind[]): FaultKind | undefined {
    if (!this.enabled) return undefined;
    this.counts.requests++;
    const history = this.history.get(key) ?? { seen: 0, faultsInARow: 0 };
    this.history.set(key, history);
    if (history.faultsInARow > 0) this.counts.retries++;
    const n = history.seen++;
    const kinds = this.options.kinds.filter((k) => allowed.includes(k));
    const digest = createHash('sha256').update(`${this.options.seed}\n${key}\n${n}`).digest();
    const roll = digest.readUInt32BE(0) / 2 ** 32;
    if (kinds.length === 0 || roll >= this.options.rate || history.faultsInARow >= this.options.maxFaultsInARow
      || !this.options.target.test(key)) {
      history.faultsInARow = 0;
      return undefined;
    }
    history.faultsInARow++;
    const kind = kinds[digest.readUInt32BE(4) % kinds.length]!;
    this.counts.faults[kind]++;
    return kind;
  }

  summary(extra: Record<string, number> = {}): string {
    const f = this.counts.faults;
    const faultText = faultKinds.map((k) => `${k} ${f[k]}`).join(', ');
    const pct = this.counts.requests > 0 ? ((100 * this.faultTotal) / this.counts.requests).toFixed(1) : '0';
    const extraText = Object.entries(extra).map(([k, v]) => `, ${k} ${v}`).join('');
    return `network faults: ${this.counts.requests} requests, ${this.faultTotal} faults (${pct}%: ${faultText}), `
      + `${this.counts.retries} retries, ${this.counts.stallsOutwaited} stalls outwaited${extraText}`;
  }
}

export interface FaultProxyOptions {
  /** A name for the service, part of each request's identity. */
  name: string;
  /** The service's origin, e.g. `http://127.0.0.1:10000`. */
  upstream: string;
  schedule: FaultSchedule;
  /** Error bodies in the service's own shape. */
  flavour: 'arm' | 'storage';
  /** Origins in JSON answers to replace (the services' real addresses → their proxies). */
  rewrites?: () => ReadonlyArray<[from: string, to: string]>;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

function requestKey(name: string, req: http.IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const query = [...url.searchParams].filter(([k]) => !volatileQueryFields.has(k.toLowerCase())).map(([k, v]) => `${k}=${v}`).join('&');
  const range = req.headers['x-ms-range'] ?? req.headers.range ?? '';
  return `${name} ${req.method} ${url.pathname}?${query} ${String(range)}`;
}

async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function errorAnswer(flavour: 'arm' | 'storage', code: string, message: string): { type: string; body: string } {
  return flavour === 'arm'
    ? { type: 'application/json', body: JSON.stringify({ error: { code, message } }) }
    : { type: 'application/xml', body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>` };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function rewriteOrigins(text: string, rewrites: ReadonlyArray<[string, string]>): string {
  let out = text;
  for (const [from, to] of rewrites) out = out.replace(new RegExp(`${escapeRegExp(from)}(?!\\d)`, 'g'), to);
  return out;
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { schedule, flavour } = options;
  const upstream = new URL(options.upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const held = new Set<http.ServerResponse>();
  const allowed: FaultKind[] = faultKinds.filter((k) => k !== 'expiredToken' || flavour === 'arm');

  const send = (res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: Buffer | string): void => {
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const outgoing = http.request({
        host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent,
      }, (answer) => {
        readBody(answer).then((data) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: data }), reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    schedule.inFlight++;
    res.once('close', () => schedule.inFlight--);
    schedule.requestLog?.push({ key: requestKey(options.name, req), inFlight: schedule.inFlight });
    const body = await readBody(req);
    const bearer = /^Bearer\s/i.test(req.headers.authorization ?? '');
    const fault = schedule.decide(requestKey(options.name, req), bearer ? allowed : allowed.filter((k) => k !== 'expiredToken'));
    switch (fault) {
      case 'status500': {
        const e = errorAnswer(flavour, flavour === 'arm' ? 'InternalServerError' : 'InternalError', 'Injected fault: internal error.');
        return send(res, 500, { 'content-type': e.type }, e.body);
      }
      case 'status503': {
        const e = errorAnswer(flavour, 'ServerBusy', 'Injected fault: the service is busy.');
        return send(res, 503, { 'content-type': e.type }, e.body);
      }
      case 'throttle429': {
        const e = errorAnswer(flavour, 'TooManyRequests', 'Injected fault: too many requests.');
        return send(res, 429, { 'content-type': e.type, 'retry-after': String(schedule.options.retryAfterSeconds) }, e.body);
      }
      case 'expiredToken': {
        const now = new Date().toISOString();
        const e = errorAnswer('arm', 'ExpiredAuthenticationToken',
          `The access token expiry UTC time '${now}' is earlier than current UTC time '${now}'.`);
        return send(res, 401, {
          'content-type': e.type,
          'www-authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The access token has expired."',
        }, e.body);
      }
      case 'stall': {
        held.add(res);
        const timer = setTimeout(() => {
          schedule.counts.stallsOutwaited++;
          res.destroy();
        }, schedule.options.stallLimitMs);
        res.once('close', () => {
          clearTimeout(timer);
          held.delete(res);
        });
        return;
      }
      default:
        break;
    }
    const answer = await forward(req, body);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(answer.headers)) if (!hopByHop.has(k) && k !== 'content-length' && v !== undefined) headers[k] = v;
    let content = answer.body;
    const rewrites = options.rewrites?.() ?? [];
    if (rewrites.length > 0 && /json/i.test(String(answer.headers['content-type'] ?? ''))) {
      content = Buffer.from(rewriteOrigins(content.toString('utf8'), rewrites), 'utf8');
    }
    if (fault === 'drop') {
      if (content.length < 2) {
        res.destroy();
        return;
      }
      res.writeHead(answer.status, { ...headers, 'content-length': content.length });
      res.write(content.subarray(0, Math.floor(content.length / 2)), () => res.destroy());
      return;
    }
    // A HEAD answer's Content-Length is the size of what a GET would answer (Get Properties says so), not of its empty body.
    if (req.method === 'HEAD' && answer.headers['content-length'] !== undefined) {
      res.writeHead(answer.status, { ...headers, 'content-length': answer.headers['content-length'] });
      res.end();
      return;
    }
    send(res, answer.status, headers, content);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
