import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { listen } from './fileService/httpServer';
import { errorXml } from './fileService/xml';

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

function refuse(req: http.IncomingMessage, res: http.ServerResponse, message: string): void {
  const requestId = randomUUID();
  const body = Buffer.from(errorXml('InvalidResourceName', message, requestId), 'utf8');
  res.writeHead(400, {
    'Content-Type': 'application/xml', 'Content-Length': body.length, 'x-ms-error-code': 'InvalidResourceName',
    'x-ms-request-id': requestId, Connection: 'close',
  });
  res.end(body);
  req.resume();
}

/**
 * The blob endpoint the local workspace hands out: passes every request through to Azurite
 * unchanged, but refuses to create blobs whose names Azurite would store and then fail to
 * list (its listing answers 500 for the whole folder once one such name is in it).
 */
export async function startBlobGateway(azuriteBlobEndpoint: string): Promise<RunningBlobGateway> {
  const upstream = new URL(azuriteBlobEndpoint);
  const agent = new http.Agent({ keepAlive: true });
  const server = await listen((req, res) => new Promise<void>((resolve) => {
    res.once('close', () => resolve());
    const name = req.method === 'PUT' ? blobNameOf(req.url ?? '/') : undefined;
    const refusal = name === undefined ? undefined : unstorableBlobNameReason(name);
    if (refusal) return refuse(req, res, refusal);
    const forwarded = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent,
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
      answer.once('error', () => res.destroy());
    });
    // Idle, not total: a large upload may take long, a stalled one must not hold the request forever.
    forwarded.setTimeout(upstreamIdleTimeoutMs, () => forwarded.destroy(new Error('Azurite did not answer in time.')));
    forwarded.once('error', () => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(502, { 'Content-Length': 0 });
        res.end();
      }
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
