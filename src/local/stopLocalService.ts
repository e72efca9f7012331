import * as l10n from '@vscode/l10n';
import { isProcessAlive } from '../core/pidLockFile';
import { discoveryFilePath, type LocalWorkspaceConnection } from './discovery';
import { stopServicePath } from './workspaceApi/resources/serviceControl';

/** Stop found nothing it could prove to be the local workspace, so it signalled nothing. */
export class LocalWorkspaceStopError extends Error {}

export interface StopOptions {
  requestTimeoutMs?: number;
  /** How long the service may take to stop its jobs and storage after it accepted. */
  exitTimeoutMs?: number;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  return (error as Error).name === 'TimeoutError' ? 'no answer in time' : (error as Error).message;
}

/**
 * Stops a local workspace service this process did not start, by asking it over its own
 * endpoint with its bearer token, never by signalling the pid of the discovery file: that
 * file may be left from a crash (the pid reused since), or a `dataFolder` may point at a
 * crafted one. Resolves with the service's pid once that process has exited.
 */
export async function stopLocalService(dataDir: string, connection: LocalWorkspaceConnection, options: StopOptions = {}): Promise<{ pid: number }> {
  const found = l10n.t('{0} names process {1} at {2}', discoveryFilePath(dataDir), connection.pid, connection.armEndpoint);
  let url: URL | undefined;
  try {
    url = new URL(stopServicePath, connection.armEndpoint);
  } catch {
    // Reported below.
  }
  if (!url || url.protocol !== 'http:' || !loopbackHosts.has(url.hostname)) {
    throw new LocalWorkspaceStopError(l10n.t('Nothing was stopped: {0}, which is not an address of the local workspace on this machine.', found));
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${connection.token}` },
      redirect: 'error',
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? 5000),
    });
  } catch (error) {
    throw new LocalWorkspaceStopError(l10n.t(
      'Nothing was stopped: {0}, but no local workspace answers there ({1}). The file is left from a service that has ended; no process was signalled.',
      found, reasonOf(error)));
  }
  const body = await response.json().catch(() => undefined) as { pid?: unknown } | undefined;
  if (response.status !== 202 || typeof body?.pid !== 'number') {
    throw new LocalWorkspaceStopError(l10n.t(
      'Nothing was stopped: {0}, but what answers there is not the local workspace of that file (HTTP {1}); no process was signalled.',
      found, response.status));
  }
  const pid = body.pid;
  const exitTimeoutMs = options.exitTimeoutMs ?? 30000;
  const deadline = Date.now() + exitTimeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      throw new LocalWorkspaceStopError(l10n.t('The local workspace (process {0}) accepted the request to stop but is still running after {1} s.', pid, exitTimeoutMs / 1000));
    }
    await sleep(100);
  }
  return { pid };
}
