import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import type { Cloud } from './cloud';
import { AzureMlError } from './errors';
import { mayReceiveStorageCredential, untrustedHostError } from './trustedHosts';

/** What a storage account with key access disabled answers to account-key and SAS requests. */
export const keyAccessDisabledCode = 'KeyBasedAuthenticationNotPermitted';

/** The audience of Azure Storage tokens, in every cloud. */
export const storageTokenScope = 'https://storage.azure.com/.default';

export const identityFallbackPolicyName = 'identityFallbackPolicy';

/** Bearer tokens need this version of the storage protocol or newer. */
const bearerMinimumVersion = '2021-12-02';

// Query parameters of a SAS (service, account or user delegation); none is a storage operation's own.
const sasParameters = new Set([
  'sv', 'ss', 'srt', 'sp', 'se', 'st', 'spr', 'sip', 'si', 'sr', 'sig', 'sdd', 'ses',
  'skoid', 'sktid', 'skt', 'ske', 'sks', 'skv', 'saoid', 'suoid', 'scid',
  'rscc', 'rscd', 'rsce', 'rscl', 'rsct',
]);

// What the storage answers when the identity lacks the data role (AuthorizationFailure is a firewall's answer, not this).
const roleMissingCodes = new Set(['AuthorizationPermissionMismatch', 'InsufficientAccountPermissions']);

/** Datastores and storage accounts that refused key access in this session, so the identity is used from the start. */
const keylessTargets = new Set<string>();

export function rememberedKeyless(target: string): boolean {
  return keylessTargets.has(target);
}

/** Forgets what this session learned (tests start from a clean slate). */
export function forgetKeylessTargets(): void {
  keylessTargets.clear();
}

/** The signed-in identity and its cloud: what service-given SAS URLs fall back to. */
export interface StorageIdentity {
  cloud: Cloud;
  credential: TokenCredential;
}

export interface IdentityFallbackOptions {
  cloud: Cloud;
  /** The signed-in identity (the local workspace's token there); without it there is nothing to fall back to. */
  credential: TokenCredential | undefined;
  /** What is remembered: a datastore (`datastore:<account URL>/<name>`) or a storage account. */
  target: string;
  /** The storage account, for messages. */
  accountName: string;
  service: 'blob' | 'file';
  /** Use the identity from the first request (the datastore itself is identity-based, or known keyless). */
  identityFromStart?: boolean;
}

function errorCodeOf(response: PipelineResponse): string | undefined {
  return response.headers.get('x-ms-error-code') ?? undefined;
}

function refusesKeys(response: PipelineResponse): boolean {
  return response.status === 403 && errorCodeOf(response) === keyAccessDisabledCode;
}

function withoutSas(url: string): string {
  const parsed = new URL(url);
  for (const name of [...parsed.searchParams.keys()]) {
    if (sasParameters.has(name.toLowerCase())) parsed.searchParams.delete(name);
  }
  return parsed.toString();
}

function isWrite(request: PipelineRequest): boolean {
  return request.method !== 'GET' && request.method !== 'HEAD';
}

function roleFor(service: 'blob' | 'file', write: boolean): string {
  if (service === 'file') return write ? 'Storage File Data Privileged Contributor' : 'Storage File Data Privileged Reader';
  return write ? 'Storage Blob Data Contributor' : 'Storage Blob Data Reader';
}

/** The one message when the identity is refused too: which role is missing, on which account. */
export function roleMissingError(accountName: string, service: 'blob' | 'file', write: boolean): AzureMlError {
  const role = roleFor(service, write);
  const message = write
    ? l10n.t('Storage account "{0}" does not allow access with account keys or SAS tokens, and your identity may not write to it: ask an owner of the account to give you the {1} role on it.', accountName, role)
    : l10n.t('Storage account "{0}" does not allow access with account keys or SAS tokens, and your identity may not read from it: ask an owner of the account to give you the {1} role on it.', accountName, role);
  return new AzureMlError(message, 403, 'StorageRoleMissing');
}

function notSignedInError(accountName: string): AzureMlError {
  return new AzureMlError(
    l10n.t('Storage account "{0}" does not allow access with account keys or SAS tokens: sign in, so that your identity is used instead.', accountName),
    401, 'NotSignedIn');
}

/** Turns a key or SAS request into the same request with the identity's storage token. */
async function signWithIdentity(request: PipelineRequest, options: IdentityFallbackOptions, credential: TokenCredential): Promise<void> {
  const url = withoutSas(request.url);
  if (!mayReceiveStorageCredential(options.cloud, url)) throw untrustedHostError(options.cloud, url, l10n.t('your storage token'));
  const token = await credential.getToken(storageTokenScope, { abortSignal: request.abortSignal });
  if (!token) throw notSignedInError(options.accountName);
  request.url = url;
  request.headers.set('Authorization', `Bearer ${token.token}`);
  const version = request.headers.get('x-ms-version');
  if (!version || version < bearerMinimumVersion) request.headers.set('x-ms-version', bearerMinimumVersion);
  // Azure Files takes tokens only for requests that say they act with backup rights.
  if (options.service === 'file') request.headers.set('x-ms-file-request-intent', 'backup');
  // Plain HTTP only reaches this point on loopback (the local workspace), checked above.
  request.allowInsecureConnection = new URL(url).protocol === 'http:';
}

/**
 * Placed after the request is signed with the account key (or carries its SAS): when the
 * storage answers that key access is disabled (403 KeyBasedAuthenticationNotPermitted), sends
 * the request once more with the signed-in identity's storage token, and from then on (for this
 * target, this session) every request goes with the identity. When the identity is refused
 * too, fails with one message naming the data role that is missing.
 */
export function identityFallbackPolicy(options: IdentityFallbackOptions): PipelinePolicy {
  const sendWithIdentity = async (request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> => {
    if (!options.credential) throw notSignedInError(options.accountName);
    await signWithIdentity(request, options, options.credential);
    const response = await next(request);
    if (response.status === 403 && roleMissingCodes.has(errorCodeOf(response) ?? '')) {
      throw roleMissingError(options.accountName, options.service, isWrite(request));
    }
    return response;
  };
  return {
    name: identityFallbackPolicyName,
    async sendRequest(request, next) {
      if (options.identityFromStart || keylessTargets.has(options.target)) return sendWithIdentity(request, next);
      const response = await next(request);
      if (!refusesKeys(response)) return response;
      response.readableStreamBody?.resume();
      keylessTargets.add(options.target);
      return sendWithIdentity(request, next);
    },
  };
}

/** The fallback for requests made with a service-given SAS URL (log reads, snapshot upload), remembered per storage account. */
export function sasUrlFallback(identity: StorageIdentity, url: string): IdentityFallbackOptions {
  return {
    cloud: identity.cloud, credential: identity.credential, service: 'blob',
    target: storageAccountTarget(url), accountName: storageAccountNameOf(url),
  };
}

/** The target remembered for requests made with a service-given SAS URL: its account. */
export function storageAccountTarget(url: string): string {
  const parsed = new URL(url);
  // Path-style URLs (the local workspace) name the account in the first segment.
  const account = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost' ? parsed.pathname.split('/')[1] ?? '' : '';
  return `account:${parsed.host}/${account}`;
}

/** The account name of a storage URL (host-style or path-style), for messages. */
export function storageAccountNameOf(url: string): string {
  const parsed = new URL(url);
  const first = parsed.hostname.split('.')[0] ?? parsed.hostname;
  return /^\d+$/.test(first) || first === 'localhost' ? parsed.pathname.split('/')[1] ?? first : first;
}
