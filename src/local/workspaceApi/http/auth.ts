import { createHash, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import { ApiError } from './apiError';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Checks `Authorization: Bearer <token>` in constant time; throws a 401 ApiError otherwise.
 * `alsoAccepts` admits a narrower token for this route (a job's tracking token).
 */
export function requireBearer(req: http.IncomingMessage, expectedToken: string, alsoAccepts?: (token: string) => boolean): void {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized('The request has no bearer token (Authorization: Bearer <token>).');
  if (!timingSafeEqual(digest(match[1]!), digest(expectedToken)) && !alsoAccepts?.(match[1]!)) {
    throw unauthorized('The bearer token is not valid for the local workspace.');
  }
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, 'AuthenticationFailed', message, undefined, {
    'WWW-Authenticate': 'Bearer realm="local-workspace", error="invalid_token"',
  });
}
