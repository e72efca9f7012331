/**
 * A real HTTP server on 127.0.0.1 that stands in for Azure in client tests: it records each
 * request and answers what the test tells it (fixture responses, error bodies).
 */
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { localCloud, type Cloud } from '../../src/azure/cloud';
import { createFixedTokenCredential } from '../../src/azure/credentials';
import { WorkspaceClient } from '../../src/azure/workspaceClient';
import { fixturesDir } from '../support/repo';

export interface RecordedRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface StubResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sends the body in `chunks` pieces, one every `everyMs` (a slow answer still arriving). */
  trickle?: { chunks: number; everyMs: number };
  /** Sends half of the body (its full length announced), then drops the connection. */
  cutOff?: boolean;
}

export type StubHandler = (request: RecordedRequest, baseUrl: string) => StubResponse;

export class StubServer {
  readonly requests: RecordedRequest[] = [];
  private handler: StubHandler = () => ({ status: 500, body: { error: { code: 'NoHandler', message: 'no handler' } } });

  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<StubServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const stub = new StubServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => stub.handle(req, res));
    return stub;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', this.url);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        pathname: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      this.requests.push(recorded);
      const answer = this.handler(recorded, this.url);
      const payload = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const bytes = Buffer.from(payload, 'utf8');
      res.writeHead(answer.status, {
        ...(payload ? { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json' } : {}),
        ...(answer.cutOff ? { 'content-length': String(bytes.length) } : {}),
        ...answer.headers,
      });
      if (answer.cutOff) {
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => setTimeout(() => res.destroy(), 50));
        return;
      }
      if (!answer.trickle || !payload) {
        res.end(payload);
        return;
      }
      const size = Math.ceil(bytes.length / answer.trickle.chunks);
      let at = 0;
      const send = (): void => {
        if (res.destroyed) return;
        const end = Math.min(at + size, bytes.length);
        const chunk = bytes.subarray(at, end);
        at = end;
        if (at >= bytes.length) res.end(chunk);
        else {
          res.write(chunk);
          setTimeout(send, answer.trickle!.everyMs);
        }
      };
      send();
    });
  }

  /** Answers every request with `handler`; clears the recorded requests. */
  answer(handler: StubHandler): void {
    this.handler = handler;
    this.requests.length = 0;
  }

  get lastRequest(): RecordedRequest {
    const last = this.requests[this.requests.length - 1];
    if (!last) throw new Error('the stub server received no request');
    return last;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const testToken = 'test-bearer-token';

/** A local-style cloud pointing at the stub: the loopback bearer policy applies. */
export function stubCloud(stub: StubServer): Cloud {
  return localCloud({ armEndpoint: stub.url, blobEndpoint: stub.url, fileEndpoint: stub.url, queueEndpoint: stub.url });
}

export function stubCredential(): TokenCredential {
  return createFixedTokenCredential(testToken);
}

export interface Fixture {
  parameters: Record<string, unknown> & {
    subscriptionId: string; resourceGroupName: string; workspaceName: string; 'api-version': string;
    body?: { properties?: Record<string, unknown> } & Record<string, unknown>;
  };
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

/** Reads a spec example from the shared fixtures folder (never copied into the repo). */
export async function loadFixture(name: string): Promise<Fixture> {
  return JSON.parse(await fs.readFile(path.join(fixturesDir, `${name}.json`), 'utf8')) as Fixture;
}

export function workspaceClientFor(stub: StubServer, fixture: Fixture): WorkspaceClient {
  return new WorkspaceClient({
    cloud: stubCloud(stub),
    credential: stubCredential(),
    subscriptionId: fixture.parameters.subscriptionId,
    resourceGroup: fixture.parameters.resourceGroupName,
    workspaceName: fixture.parameters.workspaceName,
  });
}

export function workspacePath(fixture: Fixture): string {
  const p = fixture.parameters;
  return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${p.workspaceName}`;
}
