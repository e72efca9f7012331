import * as l10n from '@vscode/l10n';
import type { Datastore } from '../../azure/domain';
import { AzureMlError, toAzureMlError } from '../../azure/errors';

/** What a request needed from the datastore's credential. */
export type StorageAccess = 'list' | 'read' | 'write';

const sasLetters: Record<StorageAccess, string> = { get list() { return l10n.t('list (l)'); }, get read() { return l10n.t('read (r)'); }, get write() { return l10n.t('write (w)'); } };
const verbs: Record<StorageAccess, string> = { get list() { return l10n.t('list files in'); }, get read() { return l10n.t('read from'); }, get write() { return l10n.t('write to'); } };

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
    ? l10n.t('file share "{0}"', datastore.fileShareName ?? '')
    : l10n.t('container "{0}"', datastore.containerName ?? datastore.filesystem ?? '');
}

/**
 * Turns an error that every request of a transfer would meet (a missing permission, a rejected
 * credential, a missing container, an unreachable account) into one message naming the
 * datastore and what is missing. Undefined for errors that concern one file only.
 */
export function transferStoppingError(error: unknown, datastore: Datastore, access: StorageAccess): AzureMlError | undefined {
  const e = toAzureMlError(error);
  const name = l10n.t('datastore "{0}"', datastore.name);
  const account = datastore.accountName ? l10n.t(' of storage account "{0}"', datastore.accountName) : '';
  const credentials = datastore.credentialsType;
  const stop = (message: string, code = 'DatastoreAccessDenied'): AzureMlError => new AzureMlError(message, e.status ?? 403, code);
  const raw = error as { name?: string; code?: string };
  // Key access is disabled on the account and the identity fell back to was refused too: that message says it all.
  if (e.code === 'StorageRoleMissing') return e;

  if (raw.name === 'AuthenticationError' || raw.name === 'CredentialUnavailableError' || raw.name === 'AggregateAuthenticationError') {
    return credentials === 'ServicePrincipal'
      ? stop(l10n.t('The service principal of {0} could not sign in: check its tenant, client id and client secret. ({1})', name, e.message.split('\n')[0]), 'DatastoreSignInFailed')
      : stop(l10n.t('Could not get a storage token for {0}: sign in again. ({1})', name, e.message.split('\n')[0]), 'NotSignedIn');
  }
  if (unreachableCodes.has(raw.code ?? e.code)) {
    return new AzureMlError(l10n.t('The storage{0} of {1} could not be reached ({2}).', account, name, raw.code ?? e.code), undefined, raw.code ?? e.code);
  }
  if (e.status === 404 && missingCodes.has(e.code)) {
    return new AzureMlError(l10n.t('The {0}{1} of {2} does not exist: create it or point the datastore at one that does.', place(datastore), account, name), 404, e.code);
  }
  if (networkCodes.has(e.code)) {
    return stop(l10n.t('The storage account{0} refused the request from {1} ({2}): its network or protocol rules do not allow this connection.', account, name, e.code));
  }
  const permission = e.status === 403 && permissionCodes.has(e.code);
  const rejected = (e.status === 403 || e.status === 401) && rejectedCodes.has(e.code);
  // Azurite answers a wrong account key with AuthorizationFailure; Azure with AuthenticationFailed.
  const keyRejected = credentials === 'AccountKey' && e.status === 403 && (e.code === 'AuthorizationFailure' || e.code === 'AuthenticationFailed');
  if (!permission && !rejected && !keyRejected) return undefined;

  switch (credentials) {
    case 'AccountKey':
      return stop(l10n.t('The account key of {0} was rejected by the storage account{1} (it may have been rotated): update the datastore\'s credentials.', name, account ? ` "${datastore.accountName}"` : ''));
    case 'Sas':
      return rejected || e.code === 'AuthorizationFailure'
        ? stop(l10n.t('The SAS token of {0} was rejected (it may have expired or been revoked): update the datastore\'s credentials.', name))
        : stop(l10n.t('The SAS token of {0} does not allow {1} access: update the datastore\'s credentials with a SAS token with {2} permission.', name, sasLetters[access], sasLetters[access]));
    case 'ServicePrincipal':
      return stop(l10n.t('The service principal of {0} is not allowed to {1} the {2}{3}: it needs the {4} role there.', name, verbs[access], place(datastore), account, dataRole(datastore, access)), 'DatastoreRoleMissing');
    default:
      return stop(l10n.t('You are not allowed to {0} {1} (identity-based access): your account needs the {2} role on the {3}{4}.', verbs[access], name, dataRole(datastore, access), place(datastore), account), 'DatastoreRoleMissing');
  }
}
