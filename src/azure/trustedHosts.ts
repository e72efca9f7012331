/**
 * Which hosts may receive a credential. URLs that come from a service (nextLinks, discovery,
 * run-history and log links, pending-upload SAS URLs) and datastore records are written by
 * whoever can edit the workspace; a credential goes only to the cloud's own hosts.
 */
import * as l10n from '@vscode/l10n';
import { isLoopbackUrl, type Cloud } from './cloud';
import { AzureMlError } from './errors';

function parse(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.username || parsed.password ? undefined : parsed;
  } catch {
    return undefined;
  }
}

function isUnder(host: string, suffix: string): boolean {
  return host.endsWith(`.${suffix.toLowerCase()}`);
}

/** `https://host` of a URL, for messages: never its path or query (which may carry a SAS). */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return l10n.t('an invalid address');
  }
}

/**
 * Whether the ARM token may go to `url`: HTTPS to the cloud's Resource Manager or to an Azure
 * ML data-plane host; loopback only, for the local workspace.
 */
export function mayReceiveArmToken(cloud: Cloud, url: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (cloud.allowsPlainHttpLoopback) return isLoopbackUrl(url) && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
  if (parsed.protocol !== 'https:') return false;
  if (parsed.host === new URL(cloud.resourceManagerEndpoint).host) return true;
  return parsed.port === '' && cloud.mlServiceHostSuffixes.some((suffix) => isUnder(parsed.hostname, suffix));
}

/** The storage endpoint suffixes whose accounts may receive a credential in this cloud. */
export function trustedStorageSuffixes(cloud: Cloud): string[] {
  return [cloud.storageEndpointSuffix, ...(cloud.additionalStorageSuffixes ?? [])].map((s) => s.toLowerCase());
}

/**
 * Whether a storage credential (the user's token, a SAS in the URL) may go to `url`: HTTPS to
 * an account under one of the cloud's storage suffixes; loopback only, for the local workspace.
 */
export function mayReceiveStorageCredential(cloud: Cloud, url: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (cloud.storageEndpoints) return isLoopbackUrl(url) && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
  return parsed.protocol === 'https:' && parsed.port === ''
    && trustedStorageSuffixes(cloud).some((suffix) => isUnder(parsed.hostname, suffix));
}

/** Whether `url` is a page of the cloud's Azure ML studio (HTTPS, its host or a subdomain of it). */
export function isStudioUrl(cloud: Cloud, url: string): boolean {
  const parsed = parse(url);
  if (!parsed || !cloud.studioUrl || parsed.protocol !== 'https:' || parsed.port !== '') return false;
  const studioHost = new URL(cloud.studioUrl).hostname;
  return parsed.hostname === studioHost || isUnder(parsed.hostname, studioHost);
}

/** The refusal for a service-given URL that would have carried a credential elsewhere. */
export function untrustedHostError(cloud: Cloud, url: string, what: string): AzureMlError {
  const allowed = cloud.storageEndpoints
    ? l10n.t('only loopback addresses are allowed for the local workspace')
    : parse(url)?.protocol === 'https:' ? l10n.t('it is not a host of {0}', cloud.displayName) : l10n.t('only HTTPS addresses of {0} are allowed', cloud.displayName);
  return new AzureMlError(l10n.t('Refused to send {0} to {1}: {2}. Nothing was sent.', what, originOf(url), allowed), undefined, 'UntrustedHost');
}

const storageSuffixPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * The cloud with the storage suffixes an administrator added (e.g. for Azure Stack). Entries
 * that are not host name suffixes of at least two labels are ignored; the local workspace
 * takes none.
 */
export function withAdditionalStorageSuffixes(cloud: Cloud, suffixes: readonly unknown[]): Cloud {
  if (cloud.storageEndpoints) return cloud;
  const valid = suffixes
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.trim().toLowerCase().replace(/^\.+/, ''))
    .filter((s) => storageSuffixPattern.test(s));
  return valid.length === 0 ? cloud : { ...cloud, additionalStorageSuffixes: [...new Set(valid)] };
}
