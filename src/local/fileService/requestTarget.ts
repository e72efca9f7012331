import { errors } from './storageError';

/** One query parameter as it arrived (`raw*`) and percent-decoded. */
export interface QueryParameter {
  rawName: string;
  rawValue: string | undefined;
  name: string;
  value: string;
}

/** What a path-style request URL (`/<account>/<share>/<dir>/<file>?…`) addresses. */
export interface RequestTarget {
  /** The path exactly as sent: what a Shared Key signature covers. */
  rawPath: string;
  accountName: string;
  shareName: string | undefined;
  /** Decoded directory/file names below the share. */
  segments: string[];
  parameters: QueryParameter[];
  /** Decoded query parameters by lower-cased name (last one wins). */
  query: Map<string, string>;
}

const maxNameLength = 255;
const maxPathLength = 2048;
const shareNamePattern = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw errors.invalidUri(`The ${what} is not valid percent-encoded UTF-8.`);
  }
}

/**
 * A directory or file name as Azure Files would accept it, and nothing that could be read as a
 * path step: no separators (even percent-encoded), no `.`/`..`, no control characters.
 */
export function validateEntryName(name: string): void {
  if (name.length === 0) throw errors.invalidUri('The path has an empty segment.');
  if (name === '.' || name === '..') throw errors.invalidResourceName(`"${name}" is not a valid name.`);
  if (name.length > maxNameLength) throw errors.invalidResourceName(`A name is longer than ${maxNameLength} characters.`);
  if (name.includes('\\')) throw errors.invalidResourceName('A name contains a backslash, which file shares do not allow.');
  const control = /[\u0000-\u001F]/.exec(name);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw errors.invalidResourceName(`The name ${JSON.stringify(name)} contains the control character U+${code}, which file shares do not allow. Rename the file.`);
  }
}

export function validateShareName(name: string): void {
  if (!shareNamePattern.test(name)) {
    throw errors.invalidResourceName('Share names are 3-63 lower-case letters, digits and single hyphens.');
  }
}

/**
 * Splits a raw (still percent-encoded) path below the share into validated names. As in Azure
 * Files, the path is decoded before it is split: `%2F` separates names like `/` (the Python and Go
 * SDKs send `sub%2Ffile`).
 */
export function decodePathSegments(rawSegments: string[]): string[] {
  const joined = rawSegments.join('/');
  if (joined.length > maxPathLength * 3) throw errors.invalidUri('The path is too long.');
  const segments = rawSegments.flatMap((segment) => decode(segment, 'path').split('/'));
  // A trailing separator is dropped (`dir%2F` is `dir`), as a trailing `/` is.
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  segments.forEach(validateEntryName);
  if (segments.join('/').length > maxPathLength) throw errors.invalidUri('The path is too long.');
  return segments;
}

export function parseQuery(rawQuery: string): QueryParameter[] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').filter((part) => part !== '').map((part) => {
    const equals = part.indexOf('=');
    const rawName = equals < 0 ? part : part.slice(0, equals);
    const rawValue = equals < 0 ? undefined : part.slice(equals + 1);
    return { rawName, rawValue, name: decode(rawName, 'query'), value: rawValue === undefined ? '' : decode(rawValue, 'query') };
  });
}

/**
 * Parses a request URL. Path-style (`/<account>/<share>/…`, as Azurite and this service's URL) is
 * the norm; a path whose first segment is not the account is read host-style (`/<share>/…`),
 * because the SDK's rename builds such URLs for IP endpoints (it drops the account segment).
 */
export function parseRequestTarget(url: string, servedAccount: string): RequestTarget {
  const questionMark = url.indexOf('?');
  const rawPath = questionMark < 0 ? url : url.slice(0, questionMark);
  const rawQuery = questionMark < 0 ? '' : url.slice(questionMark + 1);
  if (!rawPath.startsWith('/')) throw errors.invalidUri('Only path-style URLs are served.');

  const rawSegments = rawPath.slice(1).split('/');
  // A single trailing slash (`/account/`) addresses the same resource as without it.
  if (rawSegments.length > 0 && rawSegments[rawSegments.length - 1] === '') rawSegments.pop();
  if (rawSegments.length === 0 || decode(rawSegments[0]!, 'account name') !== servedAccount) rawSegments.unshift(servedAccount);
  const [rawAccount = '', rawShare, ...rawRest] = rawSegments;
  const accountName = decode(rawAccount, 'account name');

  let shareName: string | undefined;
  if (rawShare !== undefined) {
    shareName = decode(rawShare, 'share name');
    validateShareName(shareName);
  }
  const segments = decodePathSegments(rawRest);

  const parameters = parseQuery(rawQuery);
  const query = new Map<string, string>();
  for (const parameter of parameters) query.set(parameter.name.toLowerCase(), parameter.value);
  return { rawPath, accountName, shareName, segments, parameters, query };
}
