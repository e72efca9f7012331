import * as l10n from '@vscode/l10n';
import type { ServiceEndpoints } from './domain';
import { AzureMlError } from './errors';
import { sendJson, type RequestSender } from './serviceCall';

/**
 * Reads a workspace's `discoveryUrl` (e.g. `https://eastus.api.azureml.ms/discovery`): a JSON
 * map of data-plane base URLs. `api` is the base for run history.
 */
export async function discoverServiceEndpoints(sender: RequestSender, discoveryUrl: string): Promise<ServiceEndpoints> {
  const { body } = await sendJson<Record<string, unknown>>(sender, { method: 'GET', url: discoveryUrl });
  const endpoints: Record<string, string> = {};
  for (const [key, value] of Object.entries(body ?? {})) {
    if (typeof value === 'string') endpoints[key] = value.replace(/\/+$/, '');
  }
  const api = endpoints['api'];
  if (!api) throw new AzureMlError(l10n.t('The workspace discovery answer has no "api" endpoint.'), undefined, 'DiscoveryIncomplete');
  return { ...endpoints, api };
}
