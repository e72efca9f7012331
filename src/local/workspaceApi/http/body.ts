import type * as http from 'node:http';
import { ApiError, badRequest } from './apiError';

/** Request bodies of this API are small JSON documents; anything larger is refused. */
export const maxBodyBytes = 4 * 1024 * 1024;

/** Reads the request body as JSON; an empty body reads as undefined. */
export async function readJsonBody(req: http.IncomingMessage, limit = maxBodyBytes): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`, undefined, { Connection: 'close' });
}
