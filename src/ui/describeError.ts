import * as l10n from '@vscode/l10n';
import { messageWithAdvice } from '../azure/errors';
import { maskSecrets } from '../azure/secrets';
import { localFileProblem } from '../core/localFileErrors';

/** A command that would fix an error, offered next to its message. */
export interface Remedy {
  title: string;
  command: string;
}

export interface DescribedError {
  message: string;
  /** What to do about it; undefined when only a retry makes sense. */
  remedy?: Remedy;
}

export const signInRemedy: Remedy = { get title() { return l10n.t('Sign in'); }, command: 'azureml.signIn' };
export const useLocalWorkspaceRemedy: Remedy = { get title() { return l10n.t('Start Local Workspace'); }, command: 'azureml.useLocalWorkspace' };
export const selectWorkspaceRemedy: Remedy = { get title() { return l10n.t('Select Workspace'); }, command: 'azureml.selectWorkspace' };
/** Registering a datastore again under its name replaces its settings and credentials. */
export const registerDatastoreRemedy: Remedy = { get title() { return l10n.t('Register Datastore…'); }, command: 'azureml.registerDatastore' };
/** The machine-scoped azureml.customCloud lives in the user's settings, never a folder's. */
export const openUserSettingsRemedy: Remedy = { get title() { return l10n.t('Open User Settings'); }, command: 'workbench.action.openSettings' };

/** The environment holds the token: only a new one there and a reload change it. */
export const reloadWindowRemedy: Remedy = { get title() { return l10n.t('Reload Window'); }, command: 'workbench.action.reloadWindow' };

/** Which connection an error came through: `azureAccessToken` is Azure through the token in AZML_ACCESS_TOKEN. */
export type ErrorContext = 'azure' | 'azureAccessToken' | 'local' | undefined;

interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  code?: string;
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'REQUEST_SEND_ERROR']);
/** A datastore's own settings or credentials are wrong: registering it again fixes them. */
const datastoreSettingCodes = new Set(['DatastoreAccessDenied', 'DatastoreCredentialsInvalid', 'DatastoreMisconfigured', 'DatastoreSignInFailed', 'UnsupportedSecretsType']);

/** Turns anything thrown into one readable sentence and, where there is one, the remedy. */
export function describeError(error: unknown, connectionKind: ErrorContext): DescribedError {
  const e = (error ?? {}) as ErrorLike;
  if (e.name === 'LocalWorkspaceNotRunningError') {
    // Names the folder: the data folder is a machine setting, and the user may not know which one is in use.
    const notRunning = error as { dataDir?: string; reason?: string };
    return { message: l10n.t('No local workspace is running for {0} ({1}).', notRunning.dataDir ?? '?', notRunning.reason ?? '?'), remedy: useLocalWorkspaceRemedy };
  }
  if (connectionKind === 'local' && unreachableCodes.has(e.code ?? '')) {
    return { message: l10n.t('The local workspace is not running.'), remedy: useLocalWorkspaceRemedy };
  }
  if (e.code === 'AccessTokenExpired') return { message: maskSecrets(e.message ?? ''), remedy: reloadWindowRemedy };
  if (e.code === 'AccessTokenMissing') return { message: maskSecrets(e.message ?? ''), remedy: signInRemedy };
  if (e.status === 401 && connectionKind === 'azureAccessToken') {
    return { message: l10n.t('The token in AZML_ACCESS_TOKEN was refused (expired, or not for this cloud). Set a new token in AZML_ACCESS_TOKEN in the environment VS Code is started from, then reload the window.'), remedy: reloadWindowRemedy };
  }
  if (e.status === 401 || e.code === 'NotSignedIn') {
    return connectionKind === 'local'
      ? { message: l10n.t('The local workspace refused the connection (it was restarted). Connect again.'), remedy: useLocalWorkspaceRemedy }
      : { message: l10n.t('Your Azure sign-in has expired or is missing.'), remedy: signInRemedy };
  }
  if (unreachableCodes.has(e.code ?? '')) {
    return { message: l10n.t('Azure could not be reached ({0}). Check your network connection.', e.code ?? '') };
  }
  const fileProblem = localFileProblem(error);
  if (fileProblem) return { message: maskSecrets(fileProblem) };
  const text = maskSecrets(e.message ?? String(error));
  const message = e.name === 'AzureMlError' ? maskSecrets(messageWithAdvice({ message: text, status: e.status, code: e.code ?? '' })) : text;
  if (datastoreSettingCodes.has(e.code ?? '')) return { message, remedy: registerDatastoreRemedy };
  if (e.code === 'InvalidCustomCloudSetting') return { message, remedy: openUserSettingsRemedy };
  if (e.status === 403 && !e.code?.startsWith('Datastore')) return { message: l10n.t('You don\'t have permission: {0}', message), remedy: selectWorkspaceRemedy };
  return { message };
}
