import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isProcessAlive } from '../core/pidLockFile';

/**
 * What a running local workspace service tells its clients. Written to
 * `<data>/local-workspace.json` (mode 0600: it holds the service's bearer token) while the
 * service runs; the ready line on stdout carries the same fields without the token.
 */
export interface LocalWorkspaceInfo {
  ready: true;
  pid: number;
  armEndpoint: string;
  blobEndpoint: string;
  fileEndpoint: string;
  queueEndpoint: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  location: string;
  storageAccount: string;
  /** The queue (in `queueEndpoint`) that gets the workspace's events, when started with `--events-queue`. */
  eventsQueue?: string;
}

export interface LocalWorkspaceConnection extends LocalWorkspaceInfo {
  /** Bearer token the service accepts; never printed. */
  token: string;
}

export const discoveryFileName = 'local-workspace.json';

/** The data folder: `--data`, else `AZML_LOCAL_DATA`, else `~/.azureml-local`. */
export function resolveLocalDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env['AZML_LOCAL_DATA'] ?? path.join(os.homedir(), '.azureml-local');
  return path.resolve(chosen);
}

export function discoveryFilePath(dataDir: string): string {
  return path.join(dataDir, discoveryFileName);
}

export async function writeDiscoveryFile(dataDir: string, connection: LocalWorkspaceConnection): Promise<void> {
  const file = discoveryFilePath(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, JSON.stringify(connection, null, 2), { mode: 0o600 });
  await fs.rename(temp, file);
}

export async function removeDiscoveryFile(dataDir: string): Promise<void> {
  await fs.rm(discoveryFilePath(dataDir), { force: true });
}

export class LocalWorkspaceNotRunningError extends Error {
  override readonly name = 'LocalWorkspaceNotRunningError';
  constructor(readonly dataDir: string, readonly reason: string) {
    super(`No local workspace is running for ${dataDir} (${reason}). Start one with: npm run local -- --data "${dataDir}"`);
  }
}

/** Reads the discovery file of a running service; throws LocalWorkspaceNotRunningError otherwise. */
export async function readDiscoveryFile(dataDir: string): Promise<LocalWorkspaceConnection> {
  let text: string;
  try {
    text = await fs.readFile(discoveryFilePath(dataDir), 'utf8');
  } catch {
    throw new LocalWorkspaceNotRunningError(dataDir, l10n.t('no {0}', discoveryFileName));
  }
  let connection: LocalWorkspaceConnection;
  try {
    connection = JSON.parse(text) as LocalWorkspaceConnection;
  } catch {
    throw new LocalWorkspaceNotRunningError(dataDir, l10n.t('{0} is not valid JSON', discoveryFileName));
  }
  if (connection === null || typeof connection !== 'object' || !Number.isSafeInteger(connection.pid) || connection.pid <= 0 || typeof connection.armEndpoint !== 'string') {
    throw new LocalWorkspaceNotRunningError(dataDir, l10n.t('{0} is not a local workspace\'s discovery file', discoveryFileName));
  }
  if (!isProcessAlive(connection.pid)) {
    throw new LocalWorkspaceNotRunningError(dataDir, l10n.t('process {0} has exited', connection.pid));
  }
  return connection;
}
