import * as l10n from '@vscode/l10n';
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { AzureMlError } from '../azure/errors';
import { identityFallbackPolicy, sasUrlFallback, type StorageIdentity } from '../azure/identityFallback';
import { sendPlainRequest } from '../azure/transport';

/** What one ranged read of a log blob found. */
export type RangeReadResult =
  /** New bytes from the requested offset on. */
  | { kind: 'data'; bytes: Uint8Array; fetchedBytes: number }
  /** The blob has no bytes beyond the offset yet (HTTP 416, or an empty 206/200 tail). */
  | { kind: 'none'; fetchedBytes: number }
  /** The blob does not exist yet (listed before its first write). */
  | { kind: 'missing' };

/** Reads a blob from `offset` to its end; `url` carries its own SAS (no auth header). */
export type RangeReader = (url: string, offset: number, signal?: AbortSignal) => Promise<RangeReadResult>;

/** A failed log read. The message never includes the URL (it carries a SAS). */
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
  constructor(message: string, readonly status: number | undefined) {
    super(message);
  }
}

function contentRangeStart(header: string | null): number | undefined {
  const match = header ? /^bytes (\d+)-\d+\/(?:\d+|\*)$/i.exec(header.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Uint8Array> {
  if (!stream) return new Uint8Array();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function drain(stream: NodeJS.ReadableStream | undefined): void {
  (stream as { destroy?: () => void } | undefined)?.destroy?.();
}

/**
 * HTTP range reads: `Range: bytes=<offset>-`, through the same transport as every client
 * (proxy, certificate authorities, timeouts). 206 is the tail, 416 means nothing new; a server
 * that ignores Range answers 200 with the whole blob, which is trimmed here (so callers never
 * see a byte twice, though more bytes crossed the wire: `fetchedBytes`).
 */
export const fetchRange: RangeReader = (url, offset, signal) => readRange(url, offset, signal, undefined);

/**
 * Range reads that, when the log's storage refuses its SAS (key access disabled on the account,
 * so Azure ML's log URLs cannot work), read the same blob as the signed-in identity.
 */
export function rangeReaderWithIdentity(identity: StorageIdentity): RangeReader {
  return (url, offset, signal) => readRange(url, offset, signal, identity);
}

async function readRange(url: string, offset: number, signal: AbortSignal | undefined, identity: StorageIdentity | undefined): Promise<RangeReadResult> {
  const service = l10n.t('The log storage');
  const send = (request: PipelineRequest): Promise<PipelineResponse> => (identity
    ? identityFallbackPolicy(sasUrlFallback(identity, url)).sendRequest(request, (r) => sendPlainRequest(r, service))
    : sendPlainRequest(request, service));
  let response: PipelineResponse;
  try {
    response = await send(createPipelineRequest({
      url,
      method: 'GET',
      headers: createHttpHeaders({ Range: `bytes=${offset}-` }),
      streamResponseStatusCodes: new Set([Number.POSITIVE_INFINITY]),
      // Log URLs of the local workspace are plain HTTP on loopback.
      allowInsecureConnection: true,
      ...(signal ? { abortSignal: signal } : {}),
    }));
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    if (error instanceof AzureMlError) throw new LogReadError(error.message, undefined);
    const code = (error as { code?: string }).code;
    throw new LogReadError(l10n.t('Could not reach the log storage{0}.', code ? ` (${code})` : ''), undefined);
  }
  if (response.status === 416) {
    drain(response.readableStreamBody);
    return { kind: 'none', fetchedBytes: 0 };
  }
  if (response.status === 404) {
    drain(response.readableStreamBody);
    return { kind: 'missing' };
  }
  if (response.status !== 200 && response.status !== 206) {
    drain(response.readableStreamBody);
    throw new LogReadError(l10n.t('Reading the log failed: the storage answered {0}.', response.status), response.status);
  }
  let body: Uint8Array;
  try {
    body = await readAll(response.readableStreamBody);
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    throw new LogReadError(error instanceof AzureMlError ? error.message : l10n.t('Reading the log was cut off.'), undefined);
  }
  const start = response.status === 206 ? contentRangeStart(response.headers.get('content-range') ?? null) ?? offset : 0;
  const skip = Math.max(0, offset - start);
  const bytes = body.subarray(skip);
  return bytes.length > 0 ? { kind: 'data', bytes, fetchedBytes: body.length } : { kind: 'none', fetchedBytes: body.length };
}
