import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import { lookup } from 'node:dns/promises';
import { storageAccountUrl, type Cloud } from './cloud';
import { openDatastoreStorage, type DatastoreStorage } from './datastoreStorage';
import type { Datastore, DatastoreInput, DatastoreSecrets } from './domain';
import { toAzureMlError } from './errors';
import { keyAccessDisabledCode } from './identityFallback';
import { routesThroughProxy } from './transport';

/** The form field a failed check points at. */
export type AccessCheckField = 'accountName' | 'container' | 'endpoint' | 'protocol' | 'credentials';

export type DatastoreAccessCheck =
  | { ok: true; message: string }
  | { ok: false; message: string; field: AccessCheckField; code: string };

export interface DatastoreAccessCheckOptions {
  cloud: Cloud;
  input: DatastoreInput;
  /** The signed-in user's credential, for identity-based (`None`) datastores. */
  userCredential?: TokenCredential;
  abortSignal?: AbortSignal;
  /** Gives up after this long (default 30 s); the storage SDK retries network errors for longer. */
  timeoutMs?: number;
}

const defaultTimeoutMs = 30_000;

function noun(input: DatastoreInput): string {
  return input.datastoreType === 'AzureBlob' ? l10n.t('container') : input.datastoreType === 'AzureFile' ? l10n.t('file share') : l10n.t('file system');
}

function containerOf(input: DatastoreInput): string {
  return input.datastoreType === 'AzureBlob' ? input.containerName : input.datastoreType === 'AzureFile' ? input.fileShareName : input.filesystem;
}

/** The Datastore and secrets openDatastoreStorage needs, from what the user entered. */
export function datastoreFromInput(input: DatastoreInput, cloud: Cloud): { datastore: Datastore; secrets?: DatastoreSecrets } {
  const c = input.credentials;
  const datastore: Datastore = {
    id: '', name: input.name, datastoreType: input.datastoreType, accountName: input.accountName,
    ...(input.datastoreType === 'AzureBlob' ? { containerName: input.containerName } : {}),
    ...(input.datastoreType === 'AzureFile' ? { fileShareName: input.fileShareName } : {}),
    ...(input.datastoreType === 'AzureDataLakeGen2' ? { filesystem: input.filesystem } : {}),
    endpoint: input.endpoint ?? cloud.storageEndpointSuffix,
    protocol: input.protocol ?? 'https',
    isDefault: false,
    credentialsType: c.credentialsType,
    ...(c.credentialsType === 'ServicePrincipal' ? { servicePrincipal: { tenantId: c.tenantId, clientId: c.clientId } } : {}),
    tags: {}, properties: {},
  };
  switch (c.credentialsType) {
    case 'AccountKey': return { datastore, secrets: { secretsType: 'AccountKey', key: c.key } };
    case 'Sas': return { datastore, secrets: { secretsType: 'Sas', sasToken: c.sasToken } };
    case 'ServicePrincipal': return { datastore, secrets: { secretsType: 'ServicePrincipal', clientSecret: c.clientSecret } };
    case 'None': return { datastore };
  }
}

/** In a cloud with fixed storage endpoints (the local workspace): the one account they serve. */
export function fixedStorageAccountName(cloud: Cloud): string | undefined {
  const blob = cloud.storageEndpoints?.blob;
  return blob ? new URL(blob).pathname.split('/').filter(Boolean).pop() : undefined;
}

function fail(message: string, field: AccessCheckField, code: string): DatastoreAccessCheck {
  return { ok: false, message, field, code };
}

/** Checks what can be known without asking the storage; undefined when the storage must answer. */
function precheck(cloud: Cloud, input: DatastoreInput): DatastoreAccessCheck | undefined {
  const suffix = input.endpoint ?? cloud.storageEndpointSuffix;
  if (!cloud.storageEndpoints || suffix !== cloud.storageEndpointSuffix) return undefined;
  const account = fixedStorageAccountName(cloud);
  if (account && input.accountName !== account) {
    return fail(l10n.t('There is no storage account "{0}" in the local workspace: its one account is "{1}".', input.accountName, account),
      'accountName', 'AccountNotFound');
  }
  const type = input.credentials.credentialsType;
  if (type === 'ServicePrincipal') {
    return fail(l10n.t('A service principal cannot be checked against the local workspace: it has no Microsoft Entra sign-in. Select "Skip validation" to register the datastore without the check.'),
      'credentials', 'CannotCheckLocally');
  }
  if (type === 'None') {
    return fail(l10n.t('Identity-based access cannot be checked against the local workspace: its storage accepts only account keys and SAS tokens. Select "Skip validation" to register the datastore without the check.'),
      'credentials', 'CannotCheckLocally');
  }
  return undefined;
}

/** `work`, or the signal's reason once it aborts first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Checks, before a datastore is registered, that its storage exists and that the entered
 * credential can list it, as the service does unless validation is skipped. Answers one
 * sentence saying what failed and which field to fix; secrets never appear in it.
 */
export async function checkDatastoreAccess(options: DatastoreAccessCheckOptions): Promise<DatastoreAccessCheck> {
  const { cloud, input } = options;
  const early = precheck(cloud, input);
  if (early) return early;

  const service = input.datastoreType === 'AzureFile' ? 'file' : 'blob';
  const accountUrl = storageAccountUrl(cloud, input.accountName, service, input.endpoint ?? cloud.storageEndpointSuffix);
  const host = new URL(accountUrl).hostname;
  const where = { host, local: cloud.storageEndpoints !== undefined };
  let storage: DatastoreStorage;
  try {
    // Refuses storage outside this cloud before anything (even DNS) reaches it.
    const { datastore, secrets } = datastoreFromInput(input, cloud);
    storage = openDatastoreStorage({
      cloud, datastore, ...(secrets ? { secrets } : {}), ...(options.userCredential ? { userCredential: options.userCredential } : {}),
      identityFallback: false,
    });
  } catch (error) {
    return describeAccessFailure(error, input, where);
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs);
  const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
  const stopped = (error: unknown, at: { host: string; local: boolean }): DatastoreAccessCheck => {
    if (timeout.aborted && !options.abortSignal?.aborted) {
      return fail(l10n.t('{0} did not answer within {1} s. If the storage is behind a virtual network, select "Skip validation".',
        host, Math.round((options.timeoutMs ?? defaultTimeoutMs) / 1000)), 'endpoint', 'Timeout');
    }
    if (options.abortSignal?.aborted) throw error;
    return describeAccessFailure(error, input, at);
  };
  const custom = !cloud.storageEndpoints || (input.endpoint ?? cloud.storageEndpointSuffix) !== cloud.storageEndpointSuffix;
  // Through a proxy, the proxy resolves the name: this machine may not be able to.
  if (custom && !routesThroughProxy(accountUrl)) {
    // The storage SDK retries a name that does not resolve for half a minute; ask DNS once first
    // (within the same time limit: a resolver that does not answer takes as long as it likes).
    try {
      await untilAborted(lookup(host), abortSignal);
    } catch (error) {
      return stopped(error, { host, local: false });
    }
  }
  try {
    await listOneItem(storage, abortSignal);
  } catch (error) {
    return stopped(error, where);
  }
  return { ok: true, message: l10n.t('Connected: the {0} "{1}" in storage account "{2}" can be listed with these credentials.', noun(input), containerOf(input), input.accountName) };
}

async function listOneItem(storage: DatastoreStorage, abortSignal: AbortSignal): Promise<void> {
  if (storage.kind === 'blob') {
    await storage.container.listBlobsFlat({ abortSignal }).byPage({ maxPageSize: 1 }).next();
  } else {
    await storage.share.rootDirectoryClient.listFilesAndDirectories({ abortSignal }).byPage({ maxPageSize: 1 }).next();
  }
}

const credentialWords: Record<string, string> = {
  get AccountKey() { return l10n.t('account key'); }, get Sas() { return l10n.t('SAS token'); }, get ServicePrincipal() { return l10n.t('service principal'); }, get None() { return l10n.t('your identity'); },
};

/**
 * One sentence for a failed check, from the error the storage (or DNS, or sign-in) gave.
 * `local`: the storage is the local workspace's emulator, which has no firewall and answers a
 * wrong key with AuthorizationFailure.
 */
export function describeAccessFailure(error: unknown, input: DatastoreInput, where: { host: string; local: boolean }): DatastoreAccessCheck {
  const { host } = where;
  const raw = error as { name?: string; code?: string; message?: string };
  const e = toAzureMlError(error);
  const code = e.code;
  const account = input.accountName;
  const what = `${noun(input)} "${containerOf(input)}"`;
  const credential = credentialWords[input.credentials.credentialsType] ?? l10n.t('credential');

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || raw.code === 'ENOTFOUND') {
    return fail(l10n.t('No storage account "{0}" was found: {1} does not resolve. Check the account name and the endpoint suffix.', account, host),
      'accountName', 'AccountNotFound');
  }
  if (code === 'ECONNREFUSED') return fail(l10n.t('Nothing answers at {0}: the connection was refused.', host), 'endpoint', code);
  if (raw.name === 'AuthenticationError' || raw.name === 'CredentialUnavailableError') {
    const reason = (e.message.split('\n')[0] ?? '').trim();
    return fail(l10n.t('The service principal could not sign in: {0}', reason), 'credentials', 'ServicePrincipalSignInFailed');
  }
  if (/Bearer token authentication is not permitted for non-TLS/i.test(e.message)) {
    return fail(l10n.t('Identity-based access needs HTTPS: choose https as the protocol.'), 'protocol', 'IdentityNeedsHttps');
  }
  switch (where.local && code === 'AuthorizationFailure' ? 'AuthenticationFailed' : code) {
    case 'InvalidStorageAccountName':
      return fail(e.message, 'accountName', code);
    case 'StorageRoleMissing':
      return fail(e.message, 'credentials', code);
    case keyAccessDisabledCode:
      return fail(l10n.t('Storage account "{0}" has key access disabled: it refuses account keys and SAS tokens. Use identity-based access, or select "Skip validation" to register the datastore as it is (the extension then uses your sign-in for it).', account),
        'credentials', code);
    case 'UntrustedStorageEndpoint':
      return fail(e.message, 'endpoint', code);
    case 'ContainerNotFound':
      return fail(l10n.t('The {0} does not exist in storage account "{1}".', what, account), 'container', code);
    case 'ShareNotFound':
      return fail(l10n.t('The file share "{0}" does not exist in storage account "{1}".', containerOf(input), account), 'container', code);
    case 'FilesystemNotFound':
      return fail(l10n.t('The file system "{0}" does not exist in storage account "{1}".', containerOf(input), account), 'container', code);
    case 'AuthenticationFailed':
      return fail(input.credentials.credentialsType === 'Sas'
        ? l10n.t('Storage account "{0}" rejected the SAS token: it is malformed, expired, or signed with another key.', account)
        : l10n.t('Storage account "{0}" rejected the {1}: authentication failed. Check that it belongs to this account.', account, credential),
      'credentials', code);
    case 'AuthorizationFailure':
      return fail(l10n.t('Storage account "{0}" refused the request with the {1} (AuthorizationFailure): the credential does not match the account, or the account\'s firewall blocks this network. If the storage is behind a virtual network, select "Skip validation".',
        account, credential), 'credentials', code);
    case 'AuthorizationPermissionMismatch':
      return fail(l10n.t('The {0} does not allow listing the {1}: it needs Read and List permissions.', credential, what), 'credentials', code);
    case 'AuthorizationResourceTypeMismatch':
      return fail(l10n.t('The SAS token does not cover the {0}: it needs the container (or share) and object resource types.', what), 'credentials', code);
    case 'AuthorizationServiceMismatch':
      return fail(l10n.t('The SAS token is not valid for the {0} service.', input.datastoreType === 'AzureFile' ? 'file' : 'blob'), 'credentials', code);
    case 'AuthorizationSourceIPMismatch':
      return fail(l10n.t('The SAS token does not allow requests from this IP address.'), 'credentials', code);
    case 'AuthorizationProtocolMismatch':
      return fail(l10n.t('The SAS token allows HTTPS only: choose https as the protocol.'), 'protocol', code);
    case 'AccountRequiresHttps':
      return fail(l10n.t('Storage account "{0}" accepts only HTTPS: choose https as the protocol.', account), 'protocol', code);
    case 'InvalidAuthenticationInfo':
      return fail(l10n.t('Storage account "{0}" could not read the {1}.', account, credential), 'credentials', code);
    default:
      break;
  }
  if (e.status === 404) return fail(l10n.t('The {0} was not found in storage account "{1}" ({2}).', what, account, code), 'container', code);
  if (e.status === 403) return fail(l10n.t('Storage account "{0}" refused access with the {1} ({2}).', account, credential, code), 'credentials', code);
  return fail(l10n.t('Could not reach the {0} at {1}: {2}', what, host, e.message), 'endpoint', code);
}
