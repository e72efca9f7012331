import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { RequestTarget } from './requestTarget';
import { hmacSha256 } from './sharedKey';
import { errors } from './storageError';

/** What an operation needs from a SAS: the resource level it touches and the permission letters that allow it. */
export interface SasRequirement {
  /** Account SAS resource type: s(ervice), c(ontainer = share), o(bject = directory/file). */
  resourceType: 's' | 'c' | 'o';
  /** Any one of these permission letters allows the operation. */
  anyOf: string;
}

const clockSkewMs = 15 * 60 * 1000;

export function hasSasSignature(target: RequestTarget): boolean {
  return target.query.has('sig');
}

function parseTime(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw errors.authenticationFailed(`The SAS field ${name} is not a valid time.`);
  return time;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((total, part) => total * 256 + Number(part), 0);
}

function checkSourceIp(range: string | undefined, clientIp: string | undefined): void {
  if (!range) return;
  const ip = (clientIp ?? '').replace(/^::ffff:/, '');
  const [low = '', high = low] = range.split('-');
  if (!isIPv4(ip) || !isIPv4(low) || !isIPv4(high)) throw errors.authorizationSourceIPMismatch();
  const value = ipv4ToNumber(ip);
  if (value < ipv4ToNumber(low) || value > ipv4ToNumber(high)) throw errors.authorizationSourceIPMismatch();
}

function checkCommonFields(query: Map<string, string>, clientIp: string | undefined, now: number): void {
  const start = parseTime(query.get('st'), 'st');
  const expiry = parseTime(query.get('se'), 'se');
  if (expiry === undefined) throw errors.authenticationFailed('The SAS has no expiry time (se); stored access policies are not supported here.');
  if (now > expiry + clockSkewMs || (start !== undefined && now < start - clockSkewMs)) {
    throw errors.authenticationFailed('The SAS is not valid at the current time.');
  }
  const protocol = query.get('spr');
  if (protocol && !protocol.split(',').includes('http')) throw errors.authorizationProtocolMismatch();
  checkSourceIp(query.get('sip'), clientIp);
}

function checkSignature(accountKey: KeyObject, stringToSign: string, signature: string): void {
  const expected = hmacSha256(accountKey, stringToSign);
  const presented = Buffer.from(signature, 'base64');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw errors.authenticationFailed('The SAS signature does not match the one computed with the account key.');
  }
}

function checkPermissions(granted: string, requirement: SasRequirement): void {
  if (![...requirement.anyOf].some((letter) => granted.includes(letter))) throw errors.authorizationPermissionMismatch();
}

function verifyAccountSas(query: Map<string, string>, accountName: string, accountKey: KeyObject, requirement: SasRequirement): void {
  const version = query.get('sv') ?? '';
  const fields = [
    accountName, query.get('sp') ?? '', query.get('ss') ?? '', query.get('srt') ?? '', query.get('st') ?? '',
    query.get('se') ?? '', query.get('sip') ?? '', query.get('spr') ?? '', version,
  ];
  // From 2020-12-06 the string has a line for the encryption scope.
  if (version >= '2020-12-06') fields.push(query.get('ses') ?? '');
  checkSignature(accountKey, `${fields.join('\n')}\n`, query.get('sig') ?? '');
  if (!(query.get('ss') ?? '').includes('f')) throw errors.authorizationServiceMismatch();
  if (!(query.get('srt') ?? '').includes(requirement.resourceType)) throw errors.authorizationResourceTypeMismatch();
  checkPermissions(query.get('sp') ?? '', requirement);
}

function verifyServiceSas(
  query: Map<string, string>, target: RequestTarget, accountName: string, accountKey: KeyObject, requirement: SasRequirement,
): void {
  const resource = query.get('sr');
  if (query.get('si')) throw errors.authenticationFailed('Stored access policies (si) are not supported by the local file service.');
  if (!target.shareName || (resource !== 's' && resource !== 'f')) {
    throw errors.authenticationFailed('A service SAS must be for a share (sr=s) or a file (sr=f) and used below that share.');
  }
  if (requirement.resourceType !== 'o' && !(resource === 's' && requirement.resourceType === 'c')) {
    throw errors.authorizationResourceTypeMismatch();
  }
  const filePath = target.segments.join('/');
  if (resource === 'f' && filePath === '') throw errors.authorizationResourceTypeMismatch();
  const canonical = `/file/${accountName}/${target.shareName}${resource === 'f' ? `/${filePath}` : ''}`;
  const fields = [
    query.get('sp') ?? '', query.get('st') ?? '', query.get('se') ?? '', canonical, query.get('si') ?? '',
    query.get('sip') ?? '', query.get('spr') ?? '', query.get('sv') ?? '', query.get('rscc') ?? '',
    query.get('rscd') ?? '', query.get('rsce') ?? '', query.get('rscl') ?? '', query.get('rsct') ?? '',
  ];
  checkSignature(accountKey, fields.join('\n'), query.get('sig') ?? '');
  checkPermissions(query.get('sp') ?? '', requirement);
}

/** Verifies an account SAS or a share/file service SAS signed with the account key. Throws a 403 StorageError. */
export function verifySas(
  target: RequestTarget, accountName: string, accountKey: KeyObject, requirement: SasRequirement,
  clientIp: string | undefined, now = Date.now(),
): void {
  const { query } = target;
  checkCommonFields(query, clientIp, now);
  if (query.has('ss') || query.has('srt')) verifyAccountSas(query, accountName, accountKey, requirement);
  else verifyServiceSas(query, target, accountName, accountKey, requirement);
}
