import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** How the local storage (blob gateway, file share service) lets clients in. */
export interface StorageKeyAccess {
  /** False: account-key and SAS requests are refused, as Azure does for an account with key access disabled. */
  sharedKeyAccess: boolean;
  /** The bearer token the local workspace issues; it stands for the signed-in identity, with every data role. */
  bearerToken: string;
}

/** How a storage request is signed. */
export type StorageRequestAuth = 'bearer' | 'key' | 'none';

export function storageRequestAuth(headers: IncomingHttpHeaders, query: URLSearchParams): StorageRequestAuth {
  const authorization = headers.authorization ?? '';
  if (/^Bearer\s/i.test(authorization)) return 'bearer';
  if (authorization !== '' || query.has('sig')) return 'key';
  return 'none';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Whether the request carries the local workspace's bearer token (compared in constant time). */
export function hasValidBearer(headers: IncomingHttpHeaders, expectedToken: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(expectedToken));
}

export const keyAccessRefusal = {
  status: 403,
  code: 'KeyBasedAuthenticationNotPermitted',
  message: 'Key based authentication is not permitted on this storage account.',
} as const;

export const invalidTokenRefusal = {
  status: 401,
  code: 'InvalidAuthenticationInfo',
  message: 'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.',
  wwwAuthenticate: 'Bearer authorization_uri=https://login.microsoftonline.com/local-workspace/oauth2/authorize resource_id=https://storage.azure.com',
} as const;
