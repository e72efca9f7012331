import { ShareServiceClient, StorageSharedKeyCredential } from '@azure/storage-file-share';
import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { startFileService, type RunningFileService } from '../../../src/local/fileService';

export const accountName = 'devstoreaccount1';

/** A running service on a fresh temporary folder, with a Shared Key client for it. */
export interface Harness {
  rootDir: string;
  accountKey: string;
  service: RunningFileService;
  client: ShareServiceClient;
  /** Stops the service and starts it again on the same folder and key. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-fileservice-'));
  const rootDir = path.join(parent, 'data');
  const accountKey = randomBytes(64).toString('base64');
  const start = () => startFileService({ rootDir, accountName, accountKey });
  const harness: Harness = {
    rootDir,
    accountKey,
    service: await start(),
    client: undefined as unknown as ShareServiceClient,
    async restart() {
      await harness.service.close();
      harness.service = await start();
      harness.client = clientFor(harness.service.url, accountKey);
    },
    async dispose() {
      await harness.service.close();
      await fs.rm(parent, { recursive: true, force: true });
    },
  };
  harness.client = clientFor(harness.service.url, accountKey);
  return harness;
}

export function clientFor(url: string, accountKey: string): ShareServiceClient {
  return new ShareServiceClient(url, new StorageSharedKeyCredential(accountName, accountKey), {
    retryOptions: { maxTries: 1 },
  });
}

/** A unique, valid share name. */
export function shareName(prefix = 'share'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Sends a hand-made request whose path is sent exactly as given (no URL normalisation), signed
 * with Shared Key as the Azure Storage documentation describes. Only for proving properties the
 * SDK cannot express, such as `..` in a path. A `body` goes with the `content-length` header given.
 */
export function signedRawRequest(
  service: RunningFileService, accountKey: string, method: string, rawPath: string, headers: Record<string, string> = {},
  body?: Buffer | Readable,
): Promise<RawResponse> {
  const allHeaders: Record<string, string> = {
    'x-ms-date': new Date().toUTCString(),
    'x-ms-version': '2026-10-06',
    ...headers,
  };
  const msHeaders = Object.keys(allHeaders)
    .filter((name) => name.startsWith('x-ms-'))
    .sort()
    .map((name) => `${name}:${allHeaders[name]}\n`)
    .join('');
  const [pathPart, query = ''] = rawPath.split('?');
  const queryLines = query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => part.split('='))
    .sort(([a], [b]) => (a! < b! ? -1 : 1))
    .map(([name, value]) => `\n${name!.toLowerCase()}:${decodeURIComponent(value ?? '')}`)
    .join('');
  const contentLength = headers['content-length'] && headers['content-length'] !== '0' ? headers['content-length'] : '';
  const stringToSign = [method, '', '', contentLength, headers['content-md5'] ?? '', headers['content-type'] ?? '', '', '', '', '', '', ''].join('\n')
    + `\n${msHeaders}/${accountName}${pathPart}${queryLines}`;
  const signature = createHmac('sha256', Buffer.from(accountKey, 'base64')).update(stringToSign, 'utf8').digest('base64');
  allHeaders.authorization = `SharedKey ${accountName}:${signature}`;
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: service.port, method, path: rawPath, headers: allHeaders }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (body === undefined) request.end();
    else if (Buffer.isBuffer(body)) request.end(body);
    else body.pipe(request);
  });
}

/** Runs `tasks` with at most `limit` under way at once. */
export async function runLimited<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Status and error code of a failed SDK call (fails the test if the call succeeds). */
export async function failureOf(call: Promise<unknown>): Promise<{ status: number | undefined; code: string | undefined }> {
  try {
    await call;
  } catch (error) {
    const failure = error as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    return { status: failure.statusCode, code: failure.details?.errorCode ?? failure.code };
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}
