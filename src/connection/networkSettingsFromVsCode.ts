import * as vscode from 'vscode';
import type { NetworkSettings } from '../azure/networkSettings';
import type { AzureModules } from './loadAzureModules';

/**
 * VS Code's network settings for our clients: `http.proxy` (else HTTPS_PROXY and the like),
 * `http.noProxy` (added to NO_PROXY), `http.proxyStrictSSL`, and NODE_EXTRA_CA_CERTS, which
 * the extension host does not apply by itself to clients that choose their own agents.
 */
export function networkSettingsFromVsCode(sdk: Pick<AzureModules, 'networkSettingsFromEnvironment'>): NetworkSettings {
  const http = vscode.workspace.getConfiguration('http');
  const proxyUrl = http.get<string>('proxy')?.trim();
  return sdk.networkSettingsFromEnvironment(process.env, {
    ...(proxyUrl ? { proxyUrl } : {}),
    noProxy: http.get<string[]>('noProxy') ?? [],
    proxyStrictSsl: http.get<boolean>('proxyStrictSSL') ?? true,
  });
}

/** Whether a configuration change touches the settings read above. */
export function affectsNetworkSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('http.proxy') || event.affectsConfiguration('http.noProxy')
    || event.affectsConfiguration('http.proxyStrictSSL');
}
