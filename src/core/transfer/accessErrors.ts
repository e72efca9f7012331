import type { Datastore } from '../../azure/domain';
import { AzureMlError, toAzureMlError } from '../../azure/errors';

/** What a request needed from the datastore's credential. */
export type StorageAccess = 'list' | 'read' | 'write';

const sasLetters: Record<StorageAccess, string> = { list: 'list (l)', read: 'read (r)', write: 'write (w)' };
const verbs: Record<StorageAccess, string> = { list: 'list files in', read: 'read from', write: 'write to' };

const permissionCodes = new Set([
  'AuthorizationPermissionMismatch', 'AuthorizationResourceTypeMismatch', 'AuthorizationServiceMismatch',
  'InsufficientAccountPermissions', 'AuthorizationFailure',
]);
const rejectedCodes = new Set(['AuthenticationFailed', 'InvalidAuthenticationInfo', 'NoAuthenticationInformation']);
const networkCodes = new Set(['AuthorizationSourceIPMismatch', 'AuthorizationProtocolMismatch']);
const missingCodes = new Set(['ContainerNotFound', 'ShareNotFound', 'FilesystemNotFound']);
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

function dataRole(datastore: Datastore, access: StorageAccess): string {
  const file = datastore.datastoreType === 'AzureFile';
  if (access === 'write') return file ? 'Storage File Data Privileged Contributor' : 'Storage Blob Data Contributor';
  return file ? 'Storage File Data Privileged Reader' : 'Storage Blob Data Reader';
}

function place(datastore: Datastore): string {
  return datastore.datastoreType === 'AzureFile'
    ? `file share "${datastore.fileShareName}"`
    : `container "${datastore.containerName ?? datastore.filesystem}"`;
}

/**
 * Turns an error that every request of a transfer would meet (a missing permission, a rejected
 * credential, a missing container, an unreachable account) into one message naming the
 * datastore and what is missing. Undefined for errors that concern one file only.
 */
export function transferStoppingError(error: unknown, datastore: Datastore, access: StorageAccess): AzureMlError | undefined {
  const e = toAzureMlError(error);
  const name = `datastore "${datastore.name}"`;
  const account = datastore.accountName ? ` of storage account "${datastore.accountName}"` : '';
  const credentials = datastore.credentialsType;
  const stop = (message: string, code = 'DatastoreAccessDenied'): AzureMlError => new AzureMlError(message, e.status ?? 403, code);
  const raw = error as { name?: string; code?: string };

  if (raw.name === 'AuthenticationError' || raw.name === 'CredentialUnavailableError' || raw.name === 'AggregateAuthenticationError') {
    return credentials === 'ServicePrincipal'
      ? stop(`The service principal of ${name} could not sign in: check its tenant, client id and client secret. (${e.message.split('\n')[0]})`, 'DatastoreSignInFailed')
      : stop(`Could not get a storage token for ${name}: sign in again. (${e.message.split('\n')[0]})`, 'NotSignedIn');
  }
  if (unreachableCodes.has(raw.code ?? e.code)) {
    return new AzureMlError(`The storage${account} of ${name} could not be reached (${raw.code ?? e.code}).`, undefined, raw.code ?? e.code);
  }
  if (e.status === 404 && missingCodes.has(e.code)) {
    return new AzureMlError(`The ${place(datastore)}${account} of ${name} does not exist: create it or point the datastore at one that does.`, 404, e.code);
  }
  if (networkCodes.has(e.code)) {
    return stop(`The storage account${account} refused the request from ${name} (${e.code}): its network or protocol rules do not allow this connection.`);
  }
  const permission = e.status === 403 && permissionCodes.has(e.code);
  const rejected = (e.status === 403 || e.status === 401) && rejectedCodes.has(e.code);
  // Azurite answers a wrong account key with AuthorizationFailure; Azure with AuthenticationFailed.
  const keyRejected = credentials === 'AccountKey' && e.status === 403 && (e.code === 'AuthorizationFailure' || e.code === 'AuthenticationFailed');
  if (!permission && !rejected && !keyRejected) return undefined;

  switch (credentials) {
    case 'AccountKey':
      return stop(`The account key of ${name} was rejected by the storage account${account ? ` "${datastore.accountName}"` : ''} (it may have been rotated): update the datastore's credentials.`);
    case 'Sas':
      return rejected || e.code === 'AuthorizationFailure'
        ? stop(`The SAS token of ${name} was rejected (it may have expired or been revoked): update the datastore's credentials.`)
        : stop(`The SAS token of ${name} does not allow ${sasLetters[access]} access: update the datastore's credentials with a SAS token with ${sasLetters[access]} permission.`);
    case 'ServicePrincipal':
      return stop(`The service principal of ${name} is not allowed to ${verbs[access]} the ${place(datastore)}${account}: it needs the ${dataRole(datastore, access)} role there.`, 'DatastoreRoleMissing');
    default:
      return stop(`You are not allowed to ${verbs[access]} ${name} (identity-based access): your account needs the ${dataRole(datastore, access)} role on the ${place(datastore)}${account}.`, 'DatastoreRoleMissing');
  }
}
