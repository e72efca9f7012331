import * as path from 'node:path';

/**
 * The Azure SDK layer is bundled on its own (dist/azureModules.js) and loaded on first use, so
 * activation neither parses nor initialises the SDKs.
 */
export type AzureModules = typeof import('./azureModules');

let modules: Promise<AzureModules> | undefined;

export function loadAzureModules(): Promise<AzureModules> {
  modules ??= Promise.resolve().then(() => {
    // A computed path keeps esbuild from inlining the module into extension.js.
    const file = path.join(__dirname, 'azureModules.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as AzureModules;
  });
  return modules;
}
