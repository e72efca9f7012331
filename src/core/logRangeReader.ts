import * as l10n from '@vscode/l10n';
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { AzureMlError } from '../azure/errors';
import { identityFallbackPolicy, sasUrlFallback, type StorageIdentity } from '../azure/identityFallback';
import { sendPlainRequest } from '../azure/transport';

/**
 * The most one read asks for (`bytes=<offset>-<offset + this - 1>`): a log of any size is read
 * in pieces of at most this many bytes, so reading it never holds more than one piece.
 */
export const defaultLogChunkBytes = 4 * 1024 * 1024;

/** What one ranged read of a log blob found. */
export type RangeReadResult =
  /**
   * New bytes from the requested offset on (at most the bytes asked for); `size`, when the
   * storage said it, is the blob's whole length, so a reader knows whether more is there.
   */
  | { kind: 'data'; bytes: Uint8Array; fetchedBytes: number; size?: number }
  /** The blob has no bytes beyond the offset yet (HTTP 416, or an empty 206/200 tail). */
  | { kind: 'none'; fetchedBytes: number }
  /** The blob does not exist yet (listed before its first write). */
  | { kind: 'missing' };

/**
 * Reads at most `maxBytes` (default `defaultLogChunkBytes`) of a blob from `offset` on; `url`
 * carries its own SAS (no auth header).
 */
export type RangeReader = (url: string, offset: number, signal?: AbortSignal, maxBytes?: number) => Promise<RangeReadResult>;

/** A failed log read. The message never includes the URL (it carries a SAS). */
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
  constructor(message: string, readonly status: number | undefined) {
    super(message);
  }
}

/** `bytes <start>-<end>/<size>`: where the answer starts, and the blob's length when known. */
function contentRange(header: string | null): { start: number; size: number | undefined } | undefined {
  const match = header ? /^bytes (\d+)-\d+\/(\d+|\*)$/i.exec(header.trim()) : null;
  return match ? { start: Number(match[1]), size: match[2] === '*' ? undefined : Number(match[2]) } : undefined;
}

/**
 * Reads a body, dropping its first `skip` bytes and keeping at most `keep` after them; stops
 * reading (and closes the stream) once it has them. `received` is what crossed the wire.
 */
async function readBounded(stream: NodeJS.ReadableStream | undefined, skip: number, keep: number): Promise<{ bytes: Uint8Array; received: number }> {
  if (!stream) return { bytes: new Uint8Array(), received: 0 };
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let received = 0;
  for await (const piece of stream) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    const from = Math.min(chunk.length, Math.max(0, skip - received));
    received += chunk.length;
    const take = chunk.subarray(from, from + (keep - keptBytes));
    if (take.length > 0) {
      kept.push(take);
      keptBytes += take.length;
    }
    if (keptBytes >= keep) break;
  }
  // Leaving the loop early destroyed the stream: the rest of an over-long answer is never read.
  return { bytes: kept.length === 1 ? kept[0]! : Buffer.concat(kept, keptBytes), received };
}

function drain(stream: NodeJS.ReadableStream | undefined): void {
  (stream as { destroy?: () => void } | undefined)?.destroy?.();
}

/**
 * HTTP range reads: `Range: bytes=<offset>-<offset + maxBytes - 1>`, through the same transport
 * as every client (proxy, certificate authorities, timeouts). 206 is the next piece, 416 means
 * nothing new; a server that ignores Range answers 200 with the whole blob, of which only the
 * asked-for piece is kept and the rest left unread (so callers never see a byte twice and never
 * hold more than `maxBytes`, though more bytes crossed the wire: `fetchedBytes`).
 */
export const fetchRange: RangeReader = (url, offset, signal, maxBytes) => readRange(url, offset, signal, maxBytes, undefined);

/**
 * Range reads that, when the log's storage refuses its SAS (key access disabled on the account,
 * so Azure ML's log URLs cannot work), read the same blob as the signed-in identity.
 */
export function rangeReaderWithIdentity(identity: StorageIdentity): RangeReader {
  return (url, offset, signal, maxBytes) => readRange(url, offset, signal, maxBytes, identity);
}

async function readRange(url: string, offset: number, signal: AbortSignal | undefined, maxBytes: number | undefined,
  identity: StorageIdentity | undefined): Promise<RangeReadResult> {
  const count = Math.max(1, Math.floor(maxBytes ?? defaultLogChunkBytes));
  const service = l10n.t('The log storage');
  const send = (request: PipelineRequest): Promise<PipelineResponse> => (identity
    ? identityFallbackPolicy(sasUrlFallback(identity, url)).sendRequest(request, (r) => sendPlainRequest(r, service))
    : sendPlainRequest(request, service));
  let response: PipelineResponse;
  try {
    response = await send(createPipelineRequest({
      url,
      method: 'GET',
      headers: createHttpHeaders({ Range: `bytes=${offset}-${offset + count - 1}` }),
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
  const range = response.status === 206 ? contentRange(response.headers.get('content-range') ?? null) : undefined;
  const start = response.status === 206 ? range?.start ?? offset : 0;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const size = response.status === 206 ? range?.size : Number.isSafeInteger(length) ? length : undefined;
  let body: { bytes: Uint8Array; received: number };
  try {
    body = await readBounded(response.readableStreamBody, Math.max(0, offset - start), count);
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    throw new LogReadError(error instanceof AzureMlError ? error.message : l10n.t('Reading the log was cut off.'), undefined);
  }
  const { bytes, received } = body;
  if (bytes.length === 0) return { kind: 'none', fetchedBytes: received };
  return size === undefined ? { kind: 'data', bytes, fetchedBytes: received } : { kind: 'data', bytes, fetchedBytes: received, size };
}
