import {
  BlobSASPermissions,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';

export interface SasSigner {
  /** `<blobEndpoint>/<container>?<SAS>` with read/add/create/write/list rights. */
  containerUploadUrl(container: string, lifetimeMs: number): string;
  /** `<blobEndpoint>/<container>/<blob>?<SAS>` with read rights. */
  blobReadUrl(container: string, blobName: string, lifetimeMs: number): string;
  containerUrl(container: string): string;
}

/** Signs SAS URLs for the local storage account with its shared key. */
export function createSasSigner(storage: { accountName: string; accountKey: string; blobEndpoint: string }, now: () => Date): SasSigner {
  const credential = new StorageSharedKeyCredential(storage.accountName, storage.accountKey);
  const endpoint = storage.blobEndpoint.replace(/\/+$/, '');
  // Clocks of client and storage may differ a little; start the SAS slightly in the past.
  const window = (lifetimeMs: number): { startsOn: Date; expiresOn: Date } => {
    const t = now().getTime();
    return { startsOn: new Date(t - 5 * 60_000), expiresOn: new Date(t + lifetimeMs) };
  };
  const containerUrl = (container: string): string => `${endpoint}/${encodeURIComponent(container)}`;
  return {
    containerUrl,
    containerUploadUrl(container, lifetimeMs) {
      const sas = generateBlobSASQueryParameters({
        containerName: container,
        permissions: ContainerSASPermissions.parse('racwl'),
        ...window(lifetimeMs),
      }, credential).toString();
      return `${containerUrl(container)}?${sas}`;
    },
    blobReadUrl(container, blobName, lifetimeMs) {
      const sas = generateBlobSASQueryParameters({
        containerName: container,
        blobName,
        permissions: BlobSASPermissions.parse('r'),
        ...window(lifetimeMs),
      }, credential).toString();
      const path = blobName.split('/').map(encodeURIComponent).join('/');
      return `${containerUrl(container)}/${path}?${sas}`;
    },
  };
}
