import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { errors } from './storageError';

/** Azure Files' largest file: 4 TiB. */
export const maxFileSize = 4 * 1024 ** 4;
/** Azure Files' largest Put Range body: 4 MiB. */
export const maxRangeSize = 4 * 1024 * 1024;

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function parseNonNegativeInteger(text: string, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text.trim())) throw errors.invalidHeaderValue(name);
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value > max) throw errors.invalidHeaderValue(name);
  return value;
}

export interface ByteRange {
  start: number;
  /** Inclusive; undefined for an open range (`bytes=100-`). */
  end: number | undefined;
}

/** `x-ms-range` wins over `Range`, as in Azure Files. */
export function requestedRange(headers: IncomingHttpHeaders): ByteRange | undefined {
  const name = headers['x-ms-range'] !== undefined ? 'x-ms-range' : 'range';
  const text = header(headers, name);
  if (text === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d*)$/.exec(text.trim());
  if (!match) throw errors.invalidHeaderValue(name);
  const start = Number(match[1]);
  const end = match[2] === '' ? undefined : Number(match[2]);
  if (!Number.isSafeInteger(start) || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw errors.invalidHeaderValue(name);
  }
  return { start, end };
}

/** A base64 MD5 header value (16 bytes), or undefined when absent. */
export function md5Header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const text = header(headers, name);
  if (text === undefined || text === '') return undefined;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(text)) throw errors.invalidHeaderValue(name);
  return text;
}

/** Metadata from `x-ms-meta-<name>` headers, names as the client spelled them. */
export function requestMetadata(rawHeaders: string[]): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const headerName = rawHeaders[i]!;
    if (!headerName.toLowerCase().startsWith('x-ms-meta-')) continue;
    const name = headerName.slice('x-ms-meta-'.length);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw errors.invalidMetadata(name);
    metadata[name] = rawHeaders[i + 1]!;
  }
  return metadata;
}

export function hasMetadataHeaders(rawHeaders: string[]): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase().startsWith('x-ms-meta-')) return true;
  return false;
}

export function metadataResponseHeaders(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([name, value]) => [`x-ms-meta-${name}`, value]));
}

/** Reads a body of at most `limit` bytes into memory. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw errors.requestBodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
