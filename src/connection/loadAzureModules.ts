/** Loads the Azure SDK layer on first use; esbuild keeps its initialisation out of activation. */
export type AzureModules = typeof import('./azureModules.js');

let modules: Promise<AzureModules> | undefined;

export function loadAzureModules(): Promise<AzureModules> {
  modules ??= import('./azureModules.js');
  return modules;
}
