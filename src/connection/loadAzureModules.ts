import * as path from 'node:path';
import { useDisplayLanguage } from '../ui/coreLanguage';
import { networkSettingsFromVsCode } from './networkSettingsFromVsCode';

/**
 * The Azure SDK layer is bundled on its own (dist/azureModules.js) and loaded on first use, so
 * activation neither parses nor initialises the SDKs.
 */
export type AzureModules = typeof import('./azureModules');

let modules: Promise<AzureModules> | undefined;
let networkSettingsApplied = false;

/**
 * The SDK layer, with VS Code's network settings applied. Settings that can't be used (a
 * malformed http.proxy, an unreadable NODE_EXTRA_CA_CERTS) fail every request with their
 * message until they are fixed.
 */
export async function loadAzureModules(): Promise<AzureModules> {
  modules ??= Promise.resolve().then(() => {
    // A computed path keeps esbuild from inlining the module into extension.js.
    const file = path.join(__dirname, 'azureModules.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require(file) as AzureModules;
    useDisplayLanguage(sdk.configureL10n, sdk.useNumberLocale);
    return sdk;
  });
  const sdk = await modules;
  if (!networkSettingsApplied) applyNetworkSettings(sdk);
  return sdk;
}

function applyNetworkSettings(sdk: AzureModules): void {
  try {
    sdk.useNetworkSettings(networkSettingsFromVsCode(sdk));
  } catch (error) {
    sdk.refuseNetworkRequests(error);
  }
  networkSettingsApplied = true;
}

/** Applies the network settings again (after http.proxy and the like changed), to existing clients too. */
export function networkSettingsChanged(): void {
  networkSettingsApplied = false;
  void modules?.then(applyNetworkSettings, () => undefined);
}
