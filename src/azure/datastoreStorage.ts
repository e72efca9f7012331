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
import { storageRetryGaps } from './retryGaps';
import { withStorageTransport } from './transport';

/** A datastore's storage, reachable with its own credentials. */
export type DatastoreStorage =
  | { kind: 'blob'; datastore: Datastore; container: ContainerClient }
  | { kind: 'file'; datastore: Datastore; share: ShareClient };

export interface DatastoreStorageOptions {
  cloud: Cloud;
  datastore: Datastore;
  /** The datastore's secrets (from listSecrets), unless its credentials are `None`. */
  secrets?: DatastoreSecrets;
  /** The signed-in user's credential, for identity-based (`None`) datastores. */
  userCredential?: TokenCredential;
}

function withSas(url: string, sasToken: string): string {
  const token = sasToken.replace(/^\?/, '');
  return `${url}${url.includes('?') ? '&' : '?'}${token}`;
}

function missing(datastore: Datastore, what: string): AzureMlError {
  return new AzureMlError(`Datastore "${datastore.name}" has no ${what}.`, undefined, 'DatastoreMisconfigured');
}

type BlobCredential = StorageSharedKeyCredential | AnonymousCredential | TokenCredential;
type ShareCredential = FileSharedKeyCredential | FileAnonymousCredential | TokenCredential;

/**
 * A container client with the network settings (see withStorageTransport) whose pipeline also
 * retries what the SDK leaves out (see storageRetryGaps).
 */
export function blobContainer(url: string, credential: BlobCredential = new AnonymousCredential()): ContainerClient {
  const pipeline = newPipeline(credential);
  pipeline.factories.push(storageRetryGaps());
  return withStorageTransport(new ContainerClient(url, pipeline), 'Azure Blob Storage');
}

function fileShare(url: string, credential: ShareCredential, options: SharePipelineOptions & { fileRequestIntent?: 'backup' } = {}): ShareClient {
  const { fileRequestIntent, ...pipelineOptions } = options;
  const pipeline = newSharePipeline(credential, pipelineOptions);
  pipeline.factories.push(storageRetryGaps());
  return withStorageTransport(new ShareClient(url, pipeline, fileRequestIntent ? { fileRequestIntent } : {}), 'Azure Files');
}

/** Builds a blob container or file share client for a datastore, authenticated as the datastore says. */
export function openDatastoreStorage(options: DatastoreStorageOptions): DatastoreStorage {
  const { cloud, datastore, secrets } = options;
  if (!datastore.accountName) throw missing(datastore, 'storage account name');
  const suffix = datastore.endpoint ?? cloud.storageEndpointSuffix;
  const protocol = datastore.protocol ?? 'https';

  const tokenCredential = (): TokenCredential => {
    if (datastore.credentialsType === 'ServicePrincipal') {
      const sp = datastore.servicePrincipal;
      if (!sp?.tenantId || !sp.clientId || secrets?.secretsType !== 'ServicePrincipal') {
        throw missing(datastore, 'complete service principal (tenant id, client id and client secret)');
      }
      return createServicePrincipalCredential(cloud, sp.tenantId, sp.clientId, secrets.clientSecret);
    }
    if (!options.userCredential) {
      throw new AzureMlError(`Datastore "${datastore.name}" uses identity-based access: sign in first.`, 401, 'NotSignedIn');
    }
    return options.userCredential;
  };

  switch (datastore.datastoreType) {
    case 'AzureBlob':
    case 'AzureDataLakeGen2': {
      const containerName = datastore.containerName ?? datastore.filesystem;
      if (!containerName) throw missing(datastore, 'container');
      const url = `${storageAccountUrl(cloud, datastore.accountName, 'blob', suffix, protocol)}/${encodeURIComponent(containerName)}`;
      if (secrets?.secretsType === 'AccountKey') {
        return { kind: 'blob', datastore, container: blobContainer(url, new StorageSharedKeyCredential(datastore.accountName, secrets.key)) };
      }
      if (secrets?.secretsType === 'Sas') {
        return { kind: 'blob', datastore, container: blobContainer(withSas(url, secrets.sasToken), new AnonymousCredential()) };
      }
      return { kind: 'blob', datastore, container: blobContainer(url, tokenCredential()) };
    }
    case 'AzureFile': {
      if (!datastore.fileShareName) throw missing(datastore, 'file share');
      const url = `${storageAccountUrl(cloud, datastore.accountName, 'file', suffix, protocol)}/${encodeURIComponent(datastore.fileShareName)}`;
      if (secrets?.secretsType === 'AccountKey') {
        return { kind: 'file', datastore, share: fileShare(url, new FileSharedKeyCredential(datastore.accountName, secrets.key)) };
      }
      if (secrets?.secretsType === 'Sas') {
        return { kind: 'file', datastore, share: fileShare(withSas(url, secrets.sasToken), new FileAnonymousCredential()) };
      }
      return { kind: 'file', datastore, share: fileShare(url, tokenCredential(), { fileRequestIntent: 'backup' }) };
    }
    default:
      throw new AzureMlError(
        `Datastores of type ${datastore.datastoreType} can't be browsed or uploaded to from here (blob, file share and ADLS Gen2 can).`,
        undefined, 'UnsupportedDatastoreType');
  }
}
