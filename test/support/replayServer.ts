/**
 * Serves exchanges recorded against real Azure (shared/fixtures/azureml-recorded) on loopback,
 * so our real clients can run whole flows against what the service really answered. A request
 * the recording does not have is answered 501 and kept in `unmatched`: the flow then fails
 * naming it.
 */
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { repoRoot } from './repo';

export const recordingsDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'azureml-recorded');

export interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestBody?: unknown;
  StatusCode: number;
  ResponseHeaders?: Record<string, string>;
  ResponseBody?: unknown;
  /** Set on entries a test adds where the recording lacks a request: says why. */
  synthetic?: string;
}

export interface Recording {
  Entries: RecordedEntry[];
  Variables?: Record<string, string>;
}

export interface ReplayedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  body: unknown;
  headers: http.IncomingHttpHeaders;
  /** Index of the entry that answered, or undefined when none matched. */
  entry: number | undefined;
}

/**
 * Query parameters that do not select what is answered: the api-version (our client pins one
 * for every call) and page-size / order hints a client may word differently.
 */
const ignoredQueryParameters = new Set(['api-version', 'count', 'orderbyasc', '$orderby', '$top', 'listviewtype']);

/** The hosts the recordings name (sanitized or real), each rewritten to the replay server (azureml:// too). */
const recordedHosts = /(?:https|azureml):\/\/(?:Sanitized\.azure\.com|management\.azure\.com|[A-Za-z0-9-]+\.api\.azureml\.ms|[A-Za-z0-9-]+\.experiments\.azureml\.net|Sanitized\.blob\.core\.windows\.net)(?=[/"?:]|$)/g;

/**
 * The recorder writes "Sanitized" for a storage account name; Azure's are lower-case letters and
 * digits only (our client refuses any other), so it is served as "sanitized".
 */
const sanitizedAccountName = /("accountName":\s*")Sanitized(")/g;

function significantQuery(search: URLSearchParams): Map<string, string> {
  const kept = new Map<string, string>();
  for (const [key, value] of search) {
    if (!ignoredQueryParameters.has(key.toLowerCase())) kept.set(key.toLowerCase(), value);
  }
  return kept;
}

function sameQuery(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}

function describe(method: string, url: URL): string {
  return `${method} ${url.pathname}${url.search}`;
}

export async function loadRecording(file: string): Promise<Recording> {
  return JSON.parse(await fs.readFile(path.join(recordingsDir, file), 'utf8')) as Recording;
}

export interface ReplayOptions {
  /** Recorded hosts left as they are in answers, to see what the client makes of them. */
  keepHosts?: RegExp;
  /**
   * Path prefixes that name the same API (a request under the first is served the entry
   * recorded under the second): only where the service documents them as one.
   */
  samePrefixes?: ReadonlyArray<readonly [string, string]>;
}

export class ReplayServer {
  readonly requests: ReplayedRequest[] = [];
  /** Requests the recording does not have, as `METHOD path?query`. */
  readonly unmatched: string[] = [];
  private readonly used: boolean[];

  private constructor(
    private readonly server: http.Server, readonly url: string, readonly entries: readonly RecordedEntry[],
    private readonly options: ReplayOptions,
  ) {
    this.used = entries.map(() => false);
  }

  static async start(recording: Recording, extraEntries: RecordedEntry[] = [], options: ReplayOptions = {}): Promise<ReplayServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const replay = new ReplayServer(
      server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, [...recording.Entries, ...extraEntries], options);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => replay.handle(req, res));
    return replay;
  }

  /** Entries some request was answered with. */
  get usedEntries(): RecordedEntry[] {
    return this.entries.filter((_, i) => this.used[i]);
  }

  /** The requests made to paths ending with `suffix` (decoded). */
  requestsTo(method: string, suffix: string): ReplayedRequest[] {
    return this.requests.filter((r) => r.method === method && decodeURIComponent(new URL(r.url, this.url).pathname).endsWith(suffix));
  }

  /** Fails naming each request the recording does not have. */
  assertAllRecorded(): void {
    if (this.unmatched.length > 0) {
      throw new Error(`requests not in the recording:\n  ${this.unmatched.join('\n  ')}`);
    }
  }

  private rewrite(text: string): string {
    return text.replace(sanitizedAccountName, '$1sanitized$2').replace(recordedHosts, (origin) => {
      const [scheme, host] = origin.split('://') as [string, string];
      if (this.options.keepHosts?.test(host)) return origin;
      // azureml:// (an MLflow tracking URI) names a host the client reaches over HTTP(S).
      return scheme === 'azureml' ? `azureml://${new URL(this.url).host}` : this.url;
    });
  }

  /** The first unused entry with this method, path and significant query: served in recorded order. */
  private match(method: string, url: URL): number | undefined {
    const query = significantQuery(url.searchParams);
    let pathname = decodeURIComponent(url.pathname).toLowerCase();
    for (const [alias, recorded] of this.options.samePrefixes ?? []) {
      if (pathname.startsWith(alias.toLowerCase())) pathname = recorded.toLowerCase() + pathname.slice(alias.length);
    }
    for (let i = 0; i < this.entries.length; i++) {
      if (this.used[i]) continue;
      const entry = this.entries[i]!;
      const recorded = new URL(entry.RequestUri);
      if (entry.RequestMethod !== method) continue;
      if (decodeURIComponent(recorded.pathname).toLowerCase() !== pathname) continue;
      if (!sameQuery(significantQuery(recorded.searchParams), query)) continue;
      return i;
    }
    return undefined;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', this.url);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text || undefined;
      if (text && /json/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const index = this.match(method, url);
      this.requests.push({ method, url: req.url ?? '/', body, headers: req.headers, entry: index });
      if (index === undefined) {
        this.unmatched.push(describe(method, url));
        res.writeHead(501, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'NotInRecording', message: `The recording has no ${describe(method, url)}.` } }));
        return;
      }
      this.used[index] = true;
      const entry = this.entries[index]!;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(entry.ResponseHeaders ?? {})) headers[name] = this.rewrite(value);
      const payload = entry.ResponseBody === undefined || entry.ResponseBody === null || method === 'HEAD'
        ? '' : this.rewrite(typeof entry.ResponseBody === 'string' ? entry.ResponseBody : JSON.stringify(entry.ResponseBody));
      res.writeHead(entry.StatusCode, { ...headers, ...(payload ? { 'content-length': String(Buffer.byteLength(payload)) } : {}) });
      res.end(payload);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
