import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { bearerTokenAuthenticationPolicyName } from '@azure/core-rest-pipeline';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspaceApi, type WorkspaceApi, type WorkspaceApiOptions } from '../../../src/local/workspaceApi';

export const token = 'test-token-0123456789';
export const subscriptionId = '00000000-1111-2222-3333-444444444444';
export const resourceGroup = 'local-rg';
export const ws = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/local`;
export const apiVersion = 'api-version=2024-10-01';

/** JSON answers are read loosely in tests; assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface StorageForTest {
  accountName: string;
  accountKey: string;
  blobEndpoint: string;
}

export interface Harness {
  base: string;
  api: WorkspaceApi;
  stateDir: string;
  /** Raw request with the bearer token; parses JSON bodies. */
  call(method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** Closes server and API and starts both again on the same state folder. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

export function testStorage(): StorageForTest {
  return { accountName: 'devstoreaccount1', accountKey: randomBytes(64).toString('base64'), blobEndpoint: 'http://127.0.0.1:9/devstoreaccount1' };
}

export async function startHarness(
  overrides: { pageSize?: number; storage?: StorageForTest; stateDir?: string } = {},
): Promise<Harness> {
  const stateDir = overrides.stateDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'workspace-api-')));
  const storage = overrides.storage ?? testStorage();
  const options: WorkspaceApiOptions = {
    stateDir,
    token,
    tenantId: '72f988bf-0000-0000-0000-000000000000',
    subscriptionId,
    resourceGroup,
    location: 'local',
    storage: { ...storage, fileEndpoint: 'http://127.0.0.1:8/devstoreaccount1', endpointSuffix: 'local' },
    pageSize: overrides.pageSize ?? 20,
  };
  let api = await createWorkspaceApi(options);
  let server = http.createServer((req, res) => api.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stopServer = (): Promise<void> => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  const harness: Harness = {
    get base() {
      return `http://127.0.0.1:${port}`;
    },
    get api() {
      return api;
    },
    stateDir,
    async call(method, pathAndQuery, body, headers = {}) {
      const init: RequestInit = {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      const response = await fetch(`http://127.0.0.1:${port}${pathAndQuery}`, init);
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async restart() {
      await stopServer();
      await api.close();
      api = await createWorkspaceApi(options);
      server = http.createServer((req, res) => api.handle(req, res));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      await stopServer();
      await api.close();
      if (!overrides.stateDir) await fs.rm(stateDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The real ARM SDK client pointed at the harness (its bearer policy refuses plain http). */
export function armClient(base: string): AzureMachineLearningWorkspaces {
  const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const client = new AzureMachineLearningWorkspaces(credential, subscriptionId, { endpoint: base, $host: base });
  client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  client.pipeline.addPolicy({
    name: 'localBearerToken',
    sendRequest: (request, next) => {
      request.headers.set('Authorization', `Bearer ${token}`);
      request.allowInsecureConnection = true;
      return next(request);
    },
  });
  return client;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Follows nextLink until the last page; returns every page. */
export async function allPages(h: Harness, first: string): Promise<Array<{ value: Json[]; nextLink?: string }>> {
  const pages: Array<{ value: Json[]; nextLink?: string }> = [];
  let next: string | undefined = first;
  while (next) {
    const reply = await h.call('GET', next.startsWith('http') ? next.slice(h.base.length) : next);
    if (reply.status !== 200) throw new Error(`GET ${next} answered ${reply.status}: ${reply.text}`);
    pages.push(reply.body);
    next = reply.body.nextLink;
  }
  return pages;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition.');
    await new Promise((r) => setTimeout(r, 20));
  }
}
