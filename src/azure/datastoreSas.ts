import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import {
  BlobSASPermissions, BlobServiceClient, ContainerSASPermissions, generateBlobSASQueryParameters, newPipeline,
  SASProtocol, StorageSharedKeyCredential, type ContainerClient, type UserDelegationKey,
} from '@azure/storage-blob';
import {
  DirectorySASPermissions, generateDataLakeSASQueryParameters, StorageSharedKeyCredential as DataLakeSharedKeyCredential,
} from '@azure/storage-file-datalake';
import {
  FileSASPermissions, generateFileSASQueryParameters, ShareSASPermissions,
  StorageSharedKeyCredential as FileSharedKeyCredential,
} from '@azure/storage-file-share';
import { storageAccountUrl, type Cloud } from './cloud';
import { openDatastoreStorage } from './datastoreStorage';
import type { Datastore, DatastoreSecrets } from './domain';
import { AzureMlError } from './errors';
import { maxSasLifetimeMs } from './sasToken';
import { withStorageTransport } from './transport';

/**
 * What the link opens: one file, a folder of an ADLS Gen2 datastore (a directory SAS), or (a
 * blob SAS cannot be scoped to a folder) the whole container or share the datastore points at.
 */
export type SasScope = { kind: 'file'; path: string } | { kind: 'directory'; path: string } | { kind: 'container' };

/** Whether a folder of this datastore can get a link of its own (a directory SAS): ADLS Gen2 only. */
export function supportsDirectorySas(datastore: Pick<Datastore, 'datastoreType'>): boolean {
  return datastore.datastoreType === 'AzureDataLakeGen2';
}

export interface DatastoreSasOptions {
  cloud: Cloud;
  datastore: Datastore;
  secrets?: DatastoreSecrets;
  /** Signs the user delegation key of an identity-based blob datastore. */
  userCredential?: TokenCredential;
  scope: SasScope;
  expiresOn: Date;
  /** Letters as Azure Storage spells them: r (read), w (write), d (delete), l (list)…; "r" when absent. */
  permissions?: string;
  now?: Date;
}

function checkPermissions(permissions: string, allowed: string): void {
  if (!permissions || [...permissions].some((c) => !allowed.includes(c))) {
    throw new AzureMlError(l10n.t('Permissions "{0}" are not valid for this link: use letters from "{1}" (r = read), for example "r".', permissions, allowed), 400, 'InvalidSasPermissions');
  }
}

function checkExpiry(expiresOn: Date, now: Date): void {
  const lifetime = expiresOn.getTime() - now.getTime();
  if (!(lifetime > 0) || lifetime > maxSasLifetimeMs) {
    throw new AzureMlError(l10n.t('A link must expire within 7 days from now: choose a shorter expiry.'), 400, 'InvalidSasExpiry');
  }
}

const trimPath = (p: string): string => p.replace(/^\/+/, '');

/** `a/b c/` → `a/b%20c`: each name encoded, as a URL path. */
const encodePath = (p: string): string => p.split('/').filter((n) => n !== '').map(encodeURIComponent).join('/');

/** A URL with a SAS for a datastore file (or its container), signed as the datastore allows. The result is a secret. */
export async function datastoreSasUrl(options: DatastoreSasOptions): Promise<string> {
  const { datastore, secrets, scope, expiresOn } = options;
  const now = options.now ?? new Date();
  const permissions = options.permissions ?? (scope.kind === 'directory' ? 'rl' : 'r');
  checkExpiry(expiresOn, now);
  // Opening checks the account name and that the endpoint is this cloud's before anything is signed for it.
  const storage = openDatastoreStorage({
    cloud: options.cloud, datastore,
    ...(secrets ? { secrets } : {}), ...(options.userCredential ? { userCredential: options.userCredential } : {}),
  });
  // Allow for clocks a little apart, as the service does.
  const startsOn = new Date(now.getTime() - 5 * 60_000);
  // A link for Azure works over HTTPS only, whatever the datastore says; the local workspace's Azurite serves HTTP.
  const protocol = options.cloud.storageEndpoints && datastore.protocol === 'http' ? SASProtocol.HttpsAndHttp : SASProtocol.Https;
  const accountName = datastore.accountName!;

  if (secrets?.secretsType === 'Sas') {
    throw new AzureMlError(l10n.t('Datastore "{0}" reaches its storage with a SAS token and holds no key to sign a new link with: ask for a link from someone with the account key, or register the datastore with an account key or identity-based access.', datastore.name), 400, 'CannotSignSas');
  }

  if (scope.kind === 'directory' && !supportsDirectorySas(datastore)) {
    throw new AzureMlError(l10n.t('Datastore "{0}" is not an ADLS Gen2 datastore: only a Data Lake directory can have a SAS of its own. Copy a SAS of the whole container instead.', datastore.name), 400, 'DirectorySasNotSupported');
  }

  if (storage.kind === 'file') {
    if (secrets?.secretsType !== 'AccountKey') {
      throw new AzureMlError(l10n.t('Datastore "{0}" is a file share without an account key: Azure Files has no user delegation SAS, so only an account key can sign a link to it.', datastore.name), 400, 'CannotSignSas');
    }
    checkPermissions(permissions, scope.kind === 'file' ? 'rcwd' : 'rcwdl');
    const credential = new FileSharedKeyCredential(accountName, secrets.key);
    const shareName = storage.share.name;
    const common = { shareName, startsOn, expiresOn, protocol };
    if (scope.kind === 'container') {
      const query = generateFileSASQueryParameters({ ...common, permissions: ShareSASPermissions.parse(permissions) }, credential).toString();
      return `${storage.share.url}?${query}`;
    }
    const filePath = trimPath(scope.path);
    const query = generateFileSASQueryParameters({ ...common, filePath, permissions: FileSASPermissions.parse(permissions) }, credential).toString();
    return `${storage.share.getDirectoryClient('').getFileClient(filePath).url}?${query}`;
  }

  if (scope.kind === 'directory') return directorySasUrl(options, storage.container, { startsOn, protocol, permissions });
  checkPermissions(permissions, scope.kind === 'file' ? 'racwd' : 'racwdl');
  const containerName = storage.container.containerName;
  const sasValues = scope.kind === 'container'
    ? { containerName, startsOn, expiresOn, protocol, permissions: ContainerSASPermissions.parse(permissions) }
    : { containerName, blobName: trimPath(scope.path), startsOn, expiresOn, protocol, permissions: BlobSASPermissions.parse(permissions) };
  const url = scope.kind === 'container' ? storage.container.url : storage.container.getBlobClient(trimPath(scope.path)).url;
  if (secrets?.secretsType === 'AccountKey') {
    return `${url}?${generateBlobSASQueryParameters(sasValues, new StorageSharedKeyCredential(accountName, secrets.key)).toString()}`;
  }
  const key = await userDelegationKey(storage.container, startsOn, expiresOn);
  return `${url}?${generateBlobSASQueryParameters(sasValues, key, accountName).toString()}`;
}

/** Identity-based (or service principal): the token gets a user delegation key, which signs. */
function userDelegationKey(container: ContainerClient, startsOn: Date, expiresOn: Date): Promise<UserDelegationKey> {
  const accountUrl = container.url.slice(0, container.url.lastIndexOf('/'));
  const credential = (container as unknown as { credential: TokenCredential }).credential;
  const service = withStorageTransport(new BlobServiceClient(accountUrl, newPipeline(credential)), l10n.t('Azure Blob Storage'));
  return service.getUserDelegationKey(startsOn, expiresOn);
}

/**
 * A directory SAS (`sr=d`, `sdd` = the folder's depth) of a folder in an ADLS Gen2 datastore, on
 * the account's dfs endpoint, as the Data Lake SDK's own generateSasUrl makes it. The blob SDK
 * cannot sign `sr=d`; the Data Lake SDK signs the same string with the same key or user delegation key.
 */
async function directorySasUrl(
  options: DatastoreSasOptions,
  container: ContainerClient,
  signing: { startsOn: Date; protocol: SASProtocol; permissions: string },
): Promise<string> {
  const { cloud, datastore, secrets, expiresOn } = options;
  const pathName = options.scope.kind === 'directory' ? options.scope.path.split('/').filter((n) => n !== '').join('/') : '';
  if (!pathName) throw new AzureMlError(l10n.t('A directory SAS needs a folder inside datastore "{0}".', datastore.name), 400, 'DirectorySasNotSupported');
  checkPermissions(signing.permissions, 'racwdl');
  const values = {
    fileSystemName: container.containerName, pathName, isDirectory: true,
    startsOn: signing.startsOn, expiresOn, protocol: signing.protocol, permissions: DirectorySASPermissions.parse(signing.permissions),
  };
  const accountName = datastore.accountName!;
  const suffix = (datastore.endpoint ?? cloud.storageEndpointSuffix).toLowerCase();
  const url = `${storageAccountUrl(cloud, accountName, 'dfs', suffix)}/${encodeURIComponent(container.containerName)}/${encodePath(pathName)}`;
  const query = secrets?.secretsType === 'AccountKey'
    ? generateDataLakeSASQueryParameters(values, new DataLakeSharedKeyCredential(accountName, secrets.key))
    : generateDataLakeSASQueryParameters(values, await userDelegationKey(container, signing.startsOn, expiresOn), accountName);
  return `${url}?${query.toString()}`;
}

