import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import {
  AnonymousCredential, ContainerClient, newPipeline, StorageSharedKeyCredential,
} from '@azure/storage-blob';
import {
  AnonymousCredential as FileAnonymousCredential, newPipeline as newSharePipeline, ShareClient,
  StorageSharedKeyCredential as FileSharedKeyCredential, type StoragePipelineOptions as SharePipelineOptions,
} from '@azure/storage-file-share';
import { storageAccountUrl, type Cloud } from './cloud';
import { createServicePrincipalCredential } from './credentials';
import type { Datastore, DatastoreSecrets } from './domain';
import { AzureMlError } from './errors';
import { normalizeSasToken, sasTokenProblem, utcMinute } from './sasToken';
import { storageRetryGaps } from './retryGaps';
import { identityFallbackPolicy, type IdentityFallbackOptions } from './identityFallback';
import { withStoragePolicy, withStorageTransport } from './transport';
import { trustedStorageSuffixes } from './trustedHosts';

/** Azure Storage account names: 3 to 24 lower-case letters and digits. */
export const storageAccountNamePattern = /^[a-z0-9]{3,24}$/;

/** A datastore's storage, reachable with its own credentials. */
export type DatastoreStorage =
  | { kind: 'blob'; datastore: Datastore; container: ContainerClient }
  | { kind: 'file'; datastore: Datastore; share: ShareClient };

export interface DatastoreStorageOptions {
  cloud: Cloud;
  datastore: Datastore;
  /** The datastore's secrets (from listSecrets), unless its credentials are `None`. */
  secrets?: DatastoreSecrets;
  /** The signed-in user's credential, for identity-based (`None`) datastores, and where key access is disabled. */
  userCredential?: TokenCredential;
  /** False: a refused key or SAS is reported, not replaced by the identity (checking what the user entered). */
  identityFallback?: boolean;
}

function withSas(url: string, sasToken: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${normalizeSasToken(sasToken)}`;
}

function missing(datastore: Datastore, what: string): AzureMlError {
  return new AzureMlError(l10n.t('Datastore "{0}" has no {1}: update the datastore\'s settings.', datastore.name, what), undefined, 'DatastoreMisconfigured');
}

const updateCredentials = (): string => l10n.t('update the datastore\'s credentials');

function invalidCredentials(datastore: Datastore, message: string): AzureMlError {
  return new AzureMlError(message.replace('{datastore}', l10n.t('datastore "{0}"', datastore.name)), undefined, 'DatastoreCredentialsInvalid');
}

/** Refuses a SAS token that cannot work before any request is made with it. */
function checkSasToken(datastore: Datastore, token: string): void {
  const problem = sasTokenProblem(token);
  switch (problem?.kind) {
    case undefined: return;
    case 'empty': throw missing(datastore, l10n.t('SAS token'));
    case 'url': throw invalidCredentials(datastore, l10n.t('The SAS token of {datastore} is a whole URL: {0} with only the token (the part after "?").', updateCredentials()));
    case 'noSignature': throw invalidCredentials(datastore, l10n.t('The SAS token of {datastore} is not a SAS token (it has no signature, sig=): {0}.', updateCredentials()));
    case 'noVersion': throw invalidCredentials(datastore, l10n.t('The SAS token of {datastore} is not a SAS token (it has no version, sv=): {0}.', updateCredentials()));
    case 'expired': throw invalidCredentials(datastore, l10n.t('The SAS token of {datastore} expired on {0}: {1}.', utcMinute(problem.at), updateCredentials()));
    case 'notYetValid': throw invalidCredentials(datastore, l10n.t('The SAS token of {datastore} is not valid before {0}: wait until then or {1}.', utcMinute(problem.at), updateCredentials()));
  }
}

/** Refuses an account key that is not base64 (the SDK would sign with whatever bytes it decodes). */
function checkAccountKey(datastore: Datastore, key: string): void {
  if (!key) throw missing(datastore, l10n.t('account key'));
  if (!/^[A-Za-z0-9+/\s]+={0,2}$/.test(key)) throw invalidCredentials(datastore, l10n.t('The account key of {datastore} is not base64 text: {0}.', updateCredentials()));
}

/**
 * The datastore record is written by anyone who can register datastores in the workspace: its
 * storage must be an account of this cloud before any credential (the user's token above all)
 * goes to it.
 */
function refuseForeignStorage(cloud: Cloud, datastore: Datastore, suffix: string, protocol: string): string {
  const accountName = datastore.accountName ?? '';
  if (!storageAccountNamePattern.test(accountName)) {
    throw new AzureMlError(l10n.t('Datastore "{0}" names the storage account "{1}", which is not a valid account name (3 to 24 lower-case letters and digits). Nothing was sent to it.',
      datastore.name, accountName), undefined, 'InvalidStorageAccountName');
  }
  const trusted = trustedStorageSuffixes(cloud);
  if (!trusted.includes(suffix) || (protocol !== 'https' && protocol !== 'http')) {
    throw new AzureMlError(l10n.t('Datastore "{0}" points at storage endpoint "{1}" ({2}), which is not Azure Storage of {3} ({4}): nothing was sent to it. An administrator can trust more storage suffixes with the machine setting azureml.storage.additionalEndpointSuffixes.',
      datastore.name, suffix, protocol, cloud.displayName, trusted.join(', ')), undefined, 'UntrustedStorageEndpoint');
  }
  return accountName;
}

type BlobCredential = StorageSharedKeyCredential | AnonymousCredential | TokenCredential;
type ShareCredential = FileSharedKeyCredential | FileAnonymousCredential | TokenCredential;

/**
 * A container client with the network settings (see withStorageTransport) whose pipeline also
 * retries what the SDK leaves out (see storageRetryGaps).
 */
export function blobContainer(url: string, credential: BlobCredential = new AnonymousCredential(), fallback?: IdentityFallbackOptions): ContainerClient {
  const pipeline = newPipeline(credential);
  pipeline.factories.push(storageRetryGaps());
  const client = new ContainerClient(url, pipeline);
  if (fallback) withStoragePolicy(client, identityFallbackPolicy(fallback));
  return withStorageTransport(client, l10n.t('Azure Blob Storage'));
}

function fileShare(
  url: string, credential: ShareCredential, options: SharePipelineOptions & { fileRequestIntent?: 'backup' } = {}, fallback?: IdentityFallbackOptions,
): ShareClient {
  const { fileRequestIntent, ...pipelineOptions } = options;
  const pipeline = newSharePipeline(credential, pipelineOptions);
  pipeline.factories.push(storageRetryGaps());
  const client = new ShareClient(url, pipeline, fileRequestIntent ? { fileRequestIntent } : {});
  if (fallback) withStoragePolicy(client, identityFallbackPolicy(fallback));
  return withStorageTransport(client, l10n.t('Azure Files'));
}

/**
 * Key access may be disabled on the account (common in enterprise subscriptions) even when the
 * workspace hands out a key or SAS: then the signed-in identity is used, see identityFallbackPolicy.
 */
function keyFallback(options: DatastoreStorageOptions, accountUrl: string, service: 'blob' | 'file'): IdentityFallbackOptions | undefined {
  if (options.identityFallback === false) return undefined;
  return {
    cloud: options.cloud, credential: options.userCredential, service,
    target: `datastore:${accountUrl}/${options.datastore.name}`, accountName: options.datastore.accountName ?? '',
  };
}

/** Builds a blob container or file share client for a datastore, authenticated as the datastore says. */
export function openDatastoreStorage(options: DatastoreStorageOptions): DatastoreStorage {
  const { cloud, datastore, secrets } = options;
  if (!datastore.accountName) throw missing(datastore, l10n.t('storage account name'));
  if (secrets?.secretsType === 'Sas') checkSasToken(datastore, secrets.sasToken);
  if (secrets?.secretsType === 'AccountKey') checkAccountKey(datastore, secrets.key);
  // Host names are case-insensitive; the URL is built from the form that was checked.
  const suffix = (datastore.endpoint ?? cloud.storageEndpointSuffix).toLowerCase();
  const accountName = refuseForeignStorage(cloud, datastore, suffix, datastore.protocol ?? 'https');
  const accountUrl = (service: 'blob' | 'file'): string => storageAccountUrl(cloud, accountName, service, suffix);

  const tokenCredential = (): TokenCredential => {
    if (datastore.credentialsType === 'ServicePrincipal') {
      const sp = datastore.servicePrincipal;
      if (!sp?.tenantId || !sp.clientId || secrets?.secretsType !== 'ServicePrincipal') {
        throw missing(datastore, l10n.t('complete service principal (tenant id, client id and client secret)'));
      }
      return createServicePrincipalCredential(cloud, sp.tenantId, sp.clientId, secrets.clientSecret);
    }
    if (!options.userCredential) {
      throw new AzureMlError(l10n.t('Datastore "{0}" uses identity-based access: sign in first.', datastore.name), 401, 'NotSignedIn');
    }
    return options.userCredential;
  };

  switch (datastore.datastoreType) {
    case 'AzureBlob':
    case 'AzureDataLakeGen2': {
      const containerName = datastore.containerName ?? datastore.filesystem;
      if (!containerName) throw missing(datastore, 'container');
      const url = `${accountUrl('blob')}/${encodeURIComponent(containerName)}`;
      const fallback = keyFallback(options, accountUrl('blob'), 'blob');
      if (secrets?.secretsType === 'AccountKey') {
        return { kind: 'blob', datastore, container: blobContainer(url, new StorageSharedKeyCredential(datastore.accountName, secrets.key), fallback) };
      }
      if (secrets?.secretsType === 'Sas') {
        return { kind: 'blob', datastore, container: blobContainer(withSas(url, secrets.sasToken), new AnonymousCredential(), fallback) };
      }
      return { kind: 'blob', datastore, container: blobContainer(url, tokenCredential()) };
    }
    case 'AzureFile': {
      if (!datastore.fileShareName) throw missing(datastore, l10n.t('file share'));
      const url = `${accountUrl('file')}/${encodeURIComponent(datastore.fileShareName)}`;
      const fallback = keyFallback(options, accountUrl('file'), 'file');
      if (secrets?.secretsType === 'AccountKey') {
        return { kind: 'file', datastore, share: fileShare(url, new FileSharedKeyCredential(datastore.accountName, secrets.key), {}, fallback) };
      }
      if (secrets?.secretsType === 'Sas') {
        return { kind: 'file', datastore, share: fileShare(withSas(url, secrets.sasToken), new FileAnonymousCredential(), {}, fallback) };
      }
      return { kind: 'file', datastore, share: fileShare(url, tokenCredential(), { fileRequestIntent: 'backup' }) };
    }
    default:
      throw new AzureMlError(
        l10n.t('Datastores of type {0} can\'t be browsed or uploaded to from here (blob, file share and ADLS Gen2 can).', datastore.datastoreType),
        undefined, 'UnsupportedDatastoreType');
  }
}
