import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AccountSASPermissions, generateAccountSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { listen } from './fileService/httpServer';
import { errorXml } from './fileService/xml';
import {
  hasValidBearer, invalidTokenRefusal, keyAccessRefusal, storageRequestAuth, type StorageKeyAccess,
} from './storageKeyAccess';

export interface RunningBlobGateway {
  /** Path-style endpoint clients use, e.g. `http://127.0.0.1:PORT/devstoreaccount1`. */
  blobEndpoint: string;
  close(): Promise<void>;
}

// C0 and C1 controls, and what XML 1.0 cannot carry at all (U+FFFE, U+FFFF, lone surrogates).
const unstorableCharacter = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why the local workspace will not store a blob of this name, or undefined. */
export function unstorableBlobNameReason(name: string): string | undefined {
  const found = unstorableCharacter.exec(name);
  if (!found) return undefined;
  const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const what = /[\u0000-\u001F\u007F-\u009F]/.test(found[0]) ? `the control character ${code}` : `the character ${code}`;
  return `The blob name ${JSON.stringify(name)} contains ${what}. The local workspace does not store such names: ` +
    'its blob listing cannot show them, so the whole folder could no longer be listed. Rename the file and upload it again.';
}

const upstreamIdleTimeoutMs = 120_000;

/** The blob name of a path-style request (`/<account>/<container>/<blob>`), or undefined. */
function blobNameOf(url: string): string | undefined {
  const pathname = url.split('?')[0]!;
  const segments = pathname.split('/');
  if (segments.length < 4) return undefined;
  try {
    return decodeURIComponent(segments.slice(3).join('/'));
  } catch {
    return undefined;
  }
}

function refuse(
  req: http.IncomingMessage, res: http.ServerResponse, message: string,
  status = 400, code = 'InvalidResourceName', extraHeaders: http.OutgoingHttpHeaders = {},
): void {
  const requestId = randomUUID();
  const body = Buffer.from(errorXml(code, message, requestId), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/xml', 'Content-Length': body.length, 'x-ms-error-code': code,
    'x-ms-request-id': requestId, Connection: 'close', ...extraHeaders,
  });
  res.end(body);
  req.resume();
}

export interface BlobGatewayOptions {
  /** Azurite's account and key: what the gateway signs with for requests that came with the bearer token. */
  account: { name: string; key: string };
  access: StorageKeyAccess;
}

const accountSasLifetimeMs = 60 * 60 * 1000;

/**
 * Requests that came with the local workspace's bearer token reach Azurite (which takes tokens
 * only over HTTPS) with an account SAS of the gateway's own instead, renewed before it expires.
 */
function accountSasSource(account: { name: string; key: string }): () => string {
  const credential = new StorageSharedKeyCredential(account.name, account.key);
  let current: { sas: string; renewAt: number } | undefined;
  return () => {
    const now = Date.now();
    if (!current || now >= current.renewAt) {
      const sas = generateAccountSASQueryParameters({
        services: 'b', resourceTypes: 'sco', permissions: AccountSASPermissions.parse('rwdlacup'),
        startsOn: new Date(now - 5 * 60_000), expiresOn: new Date(now + accountSasLifetimeMs),
      }, credential).toString();
      current = { sas, renewAt: now + accountSasLifetimeMs / 2 };
    }
    return current.sas;
  };
}

/** The path and query to send to Azurite, or a refusal already answered. */
function upstreamPath(
  req: http.IncomingMessage, res: http.ServerResponse, options: BlobGatewayOptions, accountSas: () => string,
): string | undefined {
  const url = req.url ?? '/';
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  switch (storageRequestAuth(req.headers, query)) {
    case 'bearer':
      if (!hasValidBearer(req.headers, options.access.bearerToken)) {
        refuse(req, res, invalidTokenRefusal.message, invalidTokenRefusal.status, invalidTokenRefusal.code,
          { 'WWW-Authenticate': invalidTokenRefusal.wwwAuthenticate });
        return undefined;
      }
      delete req.headers.authorization;
      return `${url}${url.includes('?') ? '&' : '?'}${accountSas()}`;
    case 'key':
      if (!options.access.sharedKeyAccess) {
        refuse(req, res, keyAccessRefusal.message, keyAccessRefusal.status, keyAccessRefusal.code);
        return undefined;
      }
      return url;
    case 'none':
      return url;
  }
}

/**
 * The blob endpoint the local workspace hands out: passes every request through to Azurite
 * unchanged, but refuses to create blobs whose names Azurite would store and then fail to
 * list (its listing answers 500 for the whole folder once one such name is in it). It also
 * takes the local workspace's bearer token, as Azure Storage takes a Microsoft Entra token, and
 * with key access disabled refuses account keys and SAS tokens as Azure does.
 */
export async function startBlobGateway(azuriteBlobEndpoint: string, options: BlobGatewayOptions): Promise<RunningBlobGateway> {
  const upstream = new URL(azuriteBlobEndpoint);
  const agent = new http.Agent({ keepAlive: true });
  const accountSas = accountSasSource(options.account);
  const server = await listen((req, res) => new Promise<void>((resolve) => {
    res.once('close', () => resolve());
    const name = req.method === 'PUT' ? blobNameOf(req.url ?? '/') : undefined;
    const refusal = name === undefined ? undefined : unstorableBlobNameReason(name);
    if (refusal) return refuse(req, res, refusal);
    const path = upstreamPath(req, res, options, accountSas);
    if (path === undefined) return;
    const forwarded = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers, agent,
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
      answer.once('error', () => res.destroy());
    });
    // Idle, not total: a large upload may take long, a stalled one must not hold the request forever.
    forwarded.setTimeout(upstreamIdleTimeoutMs, () => forwarded.destroy(new Error('Azurite did not answer in time.')));
    forwarded.once('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) res.destroy();
      // 503 as Azure Storage answers when its front end cannot reach the back end: clients retry it.
      else refuse(req, res, `The local workspace could not reach its Azurite (${error.message || error.code || 'no answer'}). ` +
        'Try again; if this keeps happening, restart the local workspace.', 503, 'ServerBusy');
    });
    req.once('error', () => forwarded.destroy());
    req.pipe(forwarded);
  }), '127.0.0.1', 0);
  return {
    blobEndpoint: `http://127.0.0.1:${server.port}${upstream.pathname.replace(/\/+$/, '')}`,
    close: async () => {
      await server.close();
      agent.destroy();
    },
  };
}
