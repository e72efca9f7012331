import * as l10n from '@vscode/l10n';
import { isLoopbackUrl, type Cloud } from './cloud';
import { AzureMlError } from './errors';

/**
 * A cloud that is not one of the built-in Azure clouds (Azure Stack Hub, or a test double on
 * loopback), described by a JSON file (`azml --cloud-config`) or the machine setting
 * `azureml.cloud.custom`.
 */
export interface CustomCloudConfig {
  name?: string;
  /** Azure Resource Manager, e.g. `https://management.local.azurestack.external`. */
  resourceManagerEndpoint: string;
  /** Storage endpoint suffix, e.g. `local.azurestack.external`. */
  storageEndpointSuffix: string;
  /** Azure ML studio, for "Open in Studio" links. */
  studioUrl?: string;
  /** Host suffixes of the Azure ML data plane (discovery, run history, MLflow). */
  mlServiceHostSuffixes?: string[];
  /** Microsoft Entra authority (AD FS on disconnected Azure Stack Hub). */
  authorityHost?: string;
  /** Audience of ARM tokens; the Resource Manager endpoint when absent. */
  resourceManagerAudience?: string;
  /** Path-style blob endpoint (`http://127.0.0.1:10000`), loopback only: storage emulators and tests. */
  blobEndpoint?: string;
}

const hostSuffixPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

function invalid(message: string): AzureMlError {
  return new AzureMlError(message, undefined, 'InvalidCloudConfig');
}

/** An endpoint URL: HTTPS, or plain HTTP on loopback; no path, query or user info. */
function endpoint(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !text) throw invalid(l10n.t('The cloud configuration needs "{0}" as a URL such as https://management.example.com.', field));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(text))) {
    throw invalid(l10n.t('"{0}" of the cloud configuration must be an https:// address (plain http:// only on 127.0.0.1 or localhost).', field));
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw invalid(l10n.t('"{0}" of the cloud configuration must be only a scheme and host (and port), without a path or query.', field));
  }
  return `${url.protocol}//${url.host}`;
}

function hostSuffix(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase().replace(/^\.+/, '') : '';
  if (!hostSuffixPattern.test(text)) {
    throw invalid(l10n.t('"{0}" of the cloud configuration must be a host name suffix such as local.azurestack.external.', field));
  }
  return text;
}

/**
 * The cloud a configuration describes, or an error saying what to fix. A cloud whose Resource
 * Manager is on loopback is treated like the local workspace: every credential stays on loopback.
 */
export function customCloud(config: unknown): Cloud {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalid(l10n.t('The cloud configuration must be a JSON object with resourceManagerEndpoint and storageEndpointSuffix.'));
  }
  const c = config as Record<string, unknown>;
  const arm = endpoint(c['resourceManagerEndpoint'], 'resourceManagerEndpoint');
  const loopback = isLoopbackUrl(arm);
  const storageEndpointSuffix = hostSuffix(c['storageEndpointSuffix'], 'storageEndpointSuffix');
  const mlSuffixes = c['mlServiceHostSuffixes'] ?? [];
  if (!Array.isArray(mlSuffixes)) throw invalid(l10n.t('"mlServiceHostSuffixes" of the cloud configuration must be a list of host name suffixes.'));
  const audience = c['resourceManagerAudience'] === undefined ? arm : endpoint(c['resourceManagerAudience'], 'resourceManagerAudience');
  const blobEndpoint = c['blobEndpoint'] === undefined ? undefined : endpoint(c['blobEndpoint'], 'blobEndpoint');
  if (blobEndpoint && !(loopback && isLoopbackUrl(blobEndpoint))) {
    throw invalid(l10n.t('"blobEndpoint" of the cloud configuration is only for a cloud on 127.0.0.1 or localhost; leave it out for Azure Stack Hub.'));
  }
  const name = typeof c['name'] === 'string' && c['name'].trim() ? c['name'].trim() : l10n.t('Custom cloud');
  return {
    name: 'custom',
    displayName: name,
    resourceManagerEndpoint: arm,
    armScope: `${audience}/.default`,
    storageScope: 'https://storage.azure.com/.default',
    authorityHost: c['authorityHost'] === undefined ? 'https://login.microsoftonline.com' : endpoint(c['authorityHost'], 'authorityHost'),
    storageEndpointSuffix,
    studioUrl: c['studioUrl'] === undefined ? undefined : endpoint(c['studioUrl'], 'studioUrl'),
    mlServiceHostSuffixes: mlSuffixes.map((s) => hostSuffix(s, 'mlServiceHostSuffixes')),
    ...(blobEndpoint ? { storageEndpoints: { blob: blobEndpoint, dfs: blobEndpoint } } : {}),
    allowsPlainHttpLoopback: loopback,
  };
}
