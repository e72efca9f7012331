import * as vscode from 'vscode';

/** The machine-scoped setting (package.json) with the storage suffixes an administrator trusts. */
export const additionalStorageSuffixesSetting = 'storage.additionalEndpointSuffixes';

/**
 * The storage suffixes an administrator added. Only the user (machine) value counts, never a
 * workspace's or folder's: a repository's settings must not be able to send credentials elsewhere.
 */
export function adminStorageSuffixes(): readonly unknown[] {
  const value = vscode.workspace.getConfiguration('azureml').inspect<unknown>(additionalStorageSuffixesSetting)?.globalValue;
  return Array.isArray(value) ? value : [];
}

export const customCloudSetting = 'customCloud';

/**
 * The custom cloud (Azure Stack Hub) from the user's own settings only: it decides where the
 * sign-in token goes, so a folder's settings must not set it (the setting is machine-scoped).
 */
export function adminCustomCloud(): unknown {
  return vscode.workspace.getConfiguration('azureml').inspect<unknown>(customCloudSetting)?.globalValue;
}
