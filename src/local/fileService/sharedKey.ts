import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { compareHeaderNames } from './headerNameOrder';
import type { RequestTarget } from './requestTarget';
import { errors } from './storageError';

/** The parts of an HTTP request a Shared Key signature covers. */
export interface SignedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** `[name, value, name, value, …]` as received (Node's `rawHeaders`). */
  rawHeaders: string[];
  target: RequestTarget;
}

const maxClockSkewMs = 15 * 60 * 1000;

const standardHeaders = [
  'content-encoding', 'content-language', 'content-length', 'content-md5', 'content-type', 'date',
  'if-modified-since', 'if-match', 'if-none-match', 'if-unmodified-since', 'range',
] as const;

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  if (value === undefined) return '';
  const text = Array.isArray(value) ? value.join(',') : value;
  // A zero Content-Length is signed as empty (service versions 2015-02-21 and later).
  return name === 'content-length' && text === '0' ? '' : text;
}

function canonicalizedHeaders(rawHeaders: string[]): string {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!name.startsWith('x-ms-')) continue;
    const list = values.get(name) ?? [];
    list.push(rawHeaders[i + 1]!.trimStart());
    values.set(name, list);
  }
  return [...values.keys()]
    .sort(compareHeaderNames)
    .map((name) => `${name}:${values.get(name)!.join(',')}\n`)
    .join('');
}

/**
 * The canonicalized resource as the service documents it: every query parameter, names
 * lower-cased, values decoded, repeated names' values sorted and comma-joined.
 */
function documentedResource(accountName: string, target: RequestTarget): string {
  const byName = new Map<string, string[]>();
  for (const parameter of target.parameters) {
    const name = parameter.name.toLowerCase();
    byName.set(name, [...(byName.get(name) ?? []), parameter.value]);
  }
  const lines = [...byName.keys()].sort().map((name) => `\n${name}:${byName.get(name)!.sort().join(',')}`);
  return `/${accountName}${target.rawPath}${lines.join('')}`;
}

/**
 * The canonicalized resource as the JavaScript storage SDKs build it: they leave out parameters
 * with an empty value (or an unencoded `=` in it), and the last of a repeated name wins. For the
 * requests they send this is the same string as the documented one.
 */
function sdkResource(accountName: string, target: RequestTarget): string {
  const byName = new Map<string, string>();
  for (const { rawName, rawValue } of target.parameters) {
    if (rawName === '' || rawValue === undefined || rawValue === '' || rawValue.includes('=')) continue;
    let value: string;
    try {
      value = decodeURIComponent(rawValue);
    } catch {
      continue;
    }
    byName.set(rawName.toLowerCase(), value);
  }
  const lines = [...byName.keys()].sort().map((name) => `\n${name}:${byName.get(name)!}`);
  return `/${accountName}${target.rawPath}${lines.join('')}`;
}

export function sharedKeyStringsToSign(request: SignedRequest, accountName: string): string[] {
  const head = [request.method.toUpperCase(), ...standardHeaders.map((name) => headerValue(request.headers, name))].join('\n');
  const prefix = `${head}\n${canonicalizedHeaders(request.rawHeaders)}`;
  const resources = new Set([documentedResource(accountName, request.target), sdkResource(accountName, request.target)]);
  return [...resources].map((resource) => prefix + resource);
}

export function hmacSha256(key: KeyObject, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function requestDate(headers: IncomingHttpHeaders): Date {
  const text = headerValue(headers, 'x-ms-date') || headerValue(headers, 'date');
  if (!text) throw errors.authenticationFailed('The request has neither an x-ms-date nor a Date header.');
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw errors.authenticationFailed('The request date header is not a valid date.');
  return date;
}

/**
 * Checks `Authorization: SharedKey <account>:<signature>` against the account key. Throws a 403
 * `AuthenticationFailed` StorageError when it does not match.
 */
export function verifySharedKey(request: SignedRequest, accountName: string, accountKey: KeyObject, now = Date.now()): void {
  const authorization = headerValue(request.headers, 'authorization');
  const match = /^SharedKey ([^:\s]+):(\S+)$/.exec(authorization);
  if (!match) throw errors.authenticationFailed('The Authorization header is not of the form "SharedKey account:signature".');
  if (match[1] !== accountName) throw errors.authenticationFailed('The Authorization header names a different account.');

  const date = requestDate(request.headers);
  if (Math.abs(now - date.getTime()) > maxClockSkewMs) {
    throw errors.authenticationFailed('The request date is more than 15 minutes away from the server time.');
  }

  const presented = Buffer.from(match[2]!, 'base64');
  const matches = sharedKeyStringsToSign(request, accountName).some((stringToSign) => {
    const expected = hmacSha256(accountKey, stringToSign);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
  if (!matches) {
    throw errors.authenticationFailed(
      'Make sure the value of Authorization header is formed correctly including the signature. The signature does not match the one computed with the account key.',
    );
  }
}
