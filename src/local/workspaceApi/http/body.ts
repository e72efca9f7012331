import type * as http from 'node:http';
import { ApiError, badRequest } from './apiError';

/** Request bodies of this API are small JSON documents; anything larger is refused. */
export const maxBodyBytes = 4 * 1024 * 1024;

/**
 * The deepest nesting of objects and arrays a body may have (the body itself is level 1). Real
 * documents stay far below it; a deeper one would overflow the stack of the recursive code that
 * copies and checks bodies (structuredClone, validation) and turn a bad request into a 500.
 */
export const maxBodyDepth = 64;

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
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (nestingDepth(text) > maxBodyDepth) {
    throw badRequest(`The request body is nested more than ${maxBodyDepth} levels deep (objects and arrays within each other); flatten it.`);
  }
  return body;
}

/** How deeply objects and arrays nest in `json` (valid JSON), without recursion: brackets in strings do not count. */
function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string; a backslash escapes the character after it.
      for (i++; i < json.length && json.charCodeAt(i) !== 0x22; i++) if (json.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return deepest;
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`, undefined, { Connection: 'close' });
}
