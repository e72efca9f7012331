import type { TokenCredential } from '@azure/core-auth';
import { lookup } from 'node:dns/promises';
import { storageAccountUrl, type Cloud } from './cloud';
import { openDatastoreStorage, type DatastoreStorage } from './datastoreStorage';
import type { Datastore, DatastoreInput, DatastoreSecrets } from './domain';
import { toAzureMlError } from './errors';
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
  return input.datastoreType === 'AzureBlob' ? 'container' : input.datastoreType === 'AzureFile' ? 'file share' : 'file system';
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
    return fail(`There is no storage account "${input.accountName}" in the local workspace: its one account is "${account}".`,
      'accountName', 'AccountNotFound');
  }
  const type = input.credentials.credentialsType;
  if (type === 'ServicePrincipal') {
    return fail('A service principal cannot be checked against the local workspace: it has no Microsoft Entra sign-in. '
      + 'Select "Skip validation" to register the datastore without the check.', 'credentials', 'CannotCheckLocally');
  }
  if (type === 'None') {
    return fail('Identity-based access cannot be checked against the local workspace: its storage accepts only account keys and SAS tokens. '
      + 'Select "Skip validation" to register the datastore without the check.', 'credentials', 'CannotCheckLocally');
  }
  return undefined;
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
  const accountUrl = storageAccountUrl(cloud, input.accountName, service, input.endpoint ?? cloud.storageEndpointSuffix, input.protocol ?? 'https');
  const host = new URL(accountUrl).hostname;
  const custom = !cloud.storageEndpoints || (input.endpoint ?? cloud.storageEndpointSuffix) !== cloud.storageEndpointSuffix;
  // Through a proxy, the proxy resolves the name: this machine may not be able to.
  if (custom && !routesThroughProxy(accountUrl)) {
    // The storage SDK retries a name that does not resolve for half a minute; ask DNS once first.
    try {
      await lookup(host);
    } catch (error) {
      return describeAccessFailure(error, input, { host, local: false });
    }
  }

  const timeout = AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs);
  const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
  try {
    const { datastore, secrets } = datastoreFromInput(input, cloud);
    const storage = openDatastoreStorage({
      cloud, datastore, ...(secrets ? { secrets } : {}), ...(options.userCredential ? { userCredential: options.userCredential } : {}),
    });
    await listOneItem(storage, abortSignal);
  } catch (error) {
    if (timeout.aborted && !options.abortSignal?.aborted) {
      return fail(`${host} did not answer within ${Math.round((options.timeoutMs ?? defaultTimeoutMs) / 1000)} s. `
        + 'If the storage is behind a virtual network, select "Skip validation".', 'endpoint', 'Timeout');
    }
    if (options.abortSignal?.aborted) throw error;
    return describeAccessFailure(error, input, { host, local: cloud.storageEndpoints !== undefined });
  }
  return { ok: true, message: `Connected: the ${noun(input)} "${containerOf(input)}" in storage account "${input.accountName}" can be listed with these credentials.` };
}

async function listOneItem(storage: DatastoreStorage, abortSignal: AbortSignal): Promise<void> {
  if (storage.kind === 'blob') {
    await storage.container.listBlobsFlat({ abortSignal }).byPage({ maxPageSize: 1 }).next();
  } else {
    await storage.share.rootDirectoryClient.listFilesAndDirectories({ abortSignal }).byPage({ maxPageSize: 1 }).next();
  }
}

const credentialWords: Record<string, string> = {
  AccountKey: 'account key', Sas: 'SAS token', ServicePrincipal: 'service principal', None: 'your identity',
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
  const credential = credentialWords[input.credentials.credentialsType] ?? 'credential';

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || raw.code === 'ENOTFOUND') {
    return fail(`No storage account "${account}" was found: ${host} does not resolve. Check the account name and the endpoint suffix.`,
      'accountName', 'AccountNotFound');
  }
  if (code === 'ECONNREFUSED') return fail(`Nothing answers at ${host}: the connection was refused.`, 'endpoint', code);
  if (raw.name === 'AuthenticationError' || raw.name === 'CredentialUnavailableError') {
    const reason = (e.message.split('\n')[0] ?? '').trim();
    return fail(`The service principal could not sign in: ${reason}`, 'credentials', 'ServicePrincipalSignInFailed');
  }
  if (/Bearer token authentication is not permitted for non-TLS/i.test(e.message)) {
    return fail('Identity-based access needs HTTPS: choose https as the protocol.', 'protocol', 'IdentityNeedsHttps');
  }
  switch (where.local && code === 'AuthorizationFailure' ? 'AuthenticationFailed' : code) {
    case 'ContainerNotFound':
      return fail(`The ${what} does not exist in storage account "${account}".`, 'container', code);
    case 'ShareNotFound':
      return fail(`The file share "${containerOf(input)}" does not exist in storage account "${account}".`, 'container', code);
    case 'FilesystemNotFound':
      return fail(`The file system "${containerOf(input)}" does not exist in storage account "${account}".`, 'container', code);
    case 'AuthenticationFailed':
      return fail(input.credentials.credentialsType === 'Sas'
        ? `Storage account "${account}" rejected the SAS token: it is malformed, expired, or signed with another key.`
        : `Storage account "${account}" rejected the ${credential}: authentication failed. Check that it belongs to this account.`,
      'credentials', code);
    case 'AuthorizationFailure':
      return fail(`Storage account "${account}" refused the request with the ${credential} (AuthorizationFailure): `
        + 'the credential does not match the account, or the account\'s firewall blocks this network. '
        + 'If the storage is behind a virtual network, select "Skip validation".', 'credentials', code);
    case 'AuthorizationPermissionMismatch':
      return fail(`The ${credential} does not allow listing the ${what}: it needs Read and List permissions.`, 'credentials', code);
    case 'AuthorizationResourceTypeMismatch':
      return fail(`The SAS token does not cover the ${what}: it needs the container (or share) and object resource types.`, 'credentials', code);
    case 'AuthorizationServiceMismatch':
      return fail(`The SAS token is not valid for the ${input.datastoreType === 'AzureFile' ? 'file' : 'blob'} service.`, 'credentials', code);
    case 'AuthorizationSourceIPMismatch':
      return fail('The SAS token does not allow requests from this IP address.', 'credentials', code);
    case 'AuthorizationProtocolMismatch':
      return fail('The SAS token allows HTTPS only: choose https as the protocol.', 'protocol', code);
    case 'AccountRequiresHttps':
      return fail(`Storage account "${account}" accepts only HTTPS: choose https as the protocol.`, 'protocol', code);
    case 'InvalidAuthenticationInfo':
      return fail(`Storage account "${account}" could not read the ${credential}.`, 'credentials', code);
    default:
      break;
  }
  if (e.status === 404) return fail(`The ${what} was not found in storage account "${account}" (${code}).`, 'container', code);
  if (e.status === 403) return fail(`Storage account "${account}" refused access with the ${credential} (${code}).`, 'credentials', code);
  return fail(`Could not reach the ${what} at ${host}: ${e.message}`, 'endpoint', code);
}
