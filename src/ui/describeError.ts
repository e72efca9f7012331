import { maskSecrets } from '../azure/secrets';

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

export const signInRemedy: Remedy = { title: 'Sign in', command: 'azureml.signIn' };
export const useLocalWorkspaceRemedy: Remedy = { title: 'Start Local Workspace', command: 'azureml.useLocalWorkspace' };

interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  code?: string;
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'REQUEST_SEND_ERROR']);

/** Turns anything thrown into one readable sentence and, where there is one, the remedy. */
export function describeError(error: unknown, connectionKind: 'azure' | 'local' | undefined): DescribedError {
  const e = (error ?? {}) as ErrorLike;
  const message = maskSecrets(e.message ?? String(error));
  if (e.name === 'LocalWorkspaceNotRunningError' || (connectionKind === 'local' && unreachableCodes.has(e.code ?? ''))) {
    return { message: 'The local workspace is not running.', remedy: useLocalWorkspaceRemedy };
  }
  if (e.status === 401 || e.code === 'NotSignedIn') {
    return connectionKind === 'local'
      ? { message: 'The local workspace refused the connection (it was restarted). Connect again.', remedy: useLocalWorkspaceRemedy }
      : { message: 'Your Azure sign-in has expired or is missing.', remedy: signInRemedy };
  }
  if (e.status === 403) {
    return { message: `You don't have permission: ${message}` };
  }
  if (unreachableCodes.has(e.code ?? '')) {
    return { message: `Azure could not be reached (${e.code}). Check your network connection.` };
  }
  return { message };
}
