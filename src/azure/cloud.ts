import * as l10n from '@vscode/l10n';
/**
 * One description per cloud. Every client takes its endpoints from here; no other module
 * hard-codes a host name.
 */
export type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud' | 'custom' | 'local';

export type StorageService = 'blob' | 'file' | 'queue' | 'dfs';

export interface Cloud {
  readonly name: CloudName;
  readonly displayName: string;
  /** Azure Resource Manager base URL, without a trailing slash. */
  readonly resourceManagerEndpoint: string;
  /** Scope for ARM tokens. */
  readonly armScope: string;
  /** Scope for Azure Storage tokens (identity-based datastore access). */
  readonly storageScope: string;
  /** Microsoft Entra authority host for service-principal sign-in. */
  readonly authorityHost: string;
  /** Storage endpoint suffix, as datastores record it in `properties.endpoint`. */
  readonly storageEndpointSuffix: string;
  /** Azure ML studio, for "Open in Studio" links; undefined where there is none. */
  readonly studioUrl: string | undefined;
  /**
   * Host suffixes of the Azure ML data plane (discovery, run history). With the Resource
   * Manager host, the only hosts the ARM token is sent to.
   */
  readonly mlServiceHostSuffixes: readonly string[];
  /**
   * Storage endpoint suffixes an administrator trusts besides `storageEndpointSuffix` (e.g.
   * Azure Stack), from a machine-scoped setting.
   */
  readonly additionalStorageSuffixes?: readonly string[];
  /**
   * Storage endpoints that do not follow `{account}.{service}.{suffix}` (the local workspace:
   * path-style URLs such as `http://127.0.0.1:10000/devstoreaccount1`).
   */
  readonly storageEndpoints?: Partial<Record<StorageService, string>>;
  /** Only loopback services may be reached over plain HTTP. */
  readonly allowsPlainHttpLoopback: boolean;
}

function azureCloud(
  name: Exclude<CloudName, 'local' | 'custom'>,
  displayName: string,
  arm: string,
  authority: string,
  storageSuffix: string,
  studio: string,
  mlServiceHostSuffixes: readonly string[],
): Cloud {
  return {
    name,
    displayName,
    resourceManagerEndpoint: arm,
    armScope: `${arm}/.default`,
    storageScope: 'https://storage.azure.com/.default',
    authorityHost: authority,
    storageEndpointSuffix: storageSuffix,
    studioUrl: studio,
    mlServiceHostSuffixes,
    allowsPlainHttpLoopback: false,
  };
}

export const azurePublicCloud = azureCloud(
  'AzureCloud', 'Azure', 'https://management.azure.com', 'https://login.microsoftonline.com',
  'core.windows.net', 'https://ml.azure.com', ['api.azureml.ms', 'experiments.azureml.net']);

export const azureUsGovernmentCloud = azureCloud(
  'AzureUSGovernment', 'Azure US Government', 'https://management.usgovcloudapi.net',
  'https://login.microsoftonline.us', 'core.usgovcloudapi.net', 'https://ml.azure.us', ['api.ml.azure.us']);

export const azureChinaCloud = azureCloud(
  'AzureChinaCloud', 'Azure China', 'https://management.chinacloudapi.cn',
  'https://login.chinacloudapi.cn', 'core.chinacloudapi.cn', 'https://studio.ml.azure.cn', ['api.ml.azure.cn']);

export const azureClouds: readonly Cloud[] = [azurePublicCloud, azureUsGovernmentCloud, azureChinaCloud];

/** The storage endpoint suffix datastores of the local workspace record. */
export const localStorageEndpointSuffix = 'local';

export interface LocalEndpoints {
  armEndpoint: string;
  blobEndpoint: string;
  fileEndpoint: string;
  queueEndpoint: string;
}

export function localCloud(endpoints: LocalEndpoints): Cloud {
  return {
    name: 'local',
    displayName: l10n.t('Local workspace'),
    resourceManagerEndpoint: endpoints.armEndpoint.replace(/\/+$/, ''),
    armScope: `${endpoints.armEndpoint.replace(/\/+$/, '')}/.default`,
    storageScope: 'https://storage.azure.com/.default',
    authorityHost: endpoints.armEndpoint.replace(/\/+$/, ''),
    storageEndpointSuffix: localStorageEndpointSuffix,
    studioUrl: undefined,
    // Every local service is on loopback, which the loopback-only bearer policy enforces.
    mlServiceHostSuffixes: [],
    storageEndpoints: {
      blob: endpoints.blobEndpoint,
      file: endpoints.fileEndpoint,
      queue: endpoints.queueEndpoint,
      dfs: endpoints.blobEndpoint,
    },
    allowsPlainHttpLoopback: true,
  };
}

export function cloudByName(name: string): Cloud | undefined {
  return azureClouds.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/**
 * The account URL of a storage account, e.g. `https://acct.blob.core.windows.net`.
 * `endpointSuffix` comes from the datastore when it has one. Always HTTPS, which every Azure
 * Storage account serves, whatever protocol a datastore was registered with: a SAS token in the
 * URL never travels in clear text. (The local workspace's own endpoints are used as they are.)
 */
export function storageAccountUrl(
  cloud: Cloud,
  accountName: string,
  service: StorageService,
  endpointSuffix: string = cloud.storageEndpointSuffix,
): string {
  const explicit = cloud.storageEndpoints?.[service];
  if (explicit && endpointSuffix === cloud.storageEndpointSuffix) return explicit.replace(/\/+$/, '');
  return `https://${accountName}.${service}.${endpointSuffix}`;
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}
