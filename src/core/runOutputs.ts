import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { artifactDatastoreName, jobArtifactFolder } from '../azure/artifactPaths';
import { AzureMlError } from '../azure/errors';
import type { WorkspaceClient } from '../azure/workspaceClient';
import { downloadFromDatastore, folderNotFoundCode } from './transfer/downloadFolder';
import { openDatastoreForTransfer } from './transfer/openDatastore';
import { localPathForRemoteName } from './transfer/pathSafety';
import { remoteFolderProblem } from './transfer/remotePaths';
import type { ExistingFilePolicy, FailedFile } from './transfer/types';

/** `azureml://datastores/<ds>/paths/<p>` (or the long form with subscription and workspace) → its parts. */
export function parseDatastoreUri(uri: string): { datastore: string; path: string } | undefined {
  const match = /^azureml:\/\/(?:subscriptions\/[^/]+\/resource[gG]roups\/[^/]+\/(?:providers\/Microsoft\.MachineLearningServices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.*)$/.exec(uri);
  return match ? { datastore: decodeURIComponent(match[1]!), path: decodeURIComponent(match[2]!).replace(/\/+$/, '') } : undefined;
}

export interface RunOutputsDownloadOptions {
  client: WorkspaceClient;
  jobName: string;
  /** The folder to download into: `artifacts/` and `named-outputs/<name>/` are made in it. */
  targetDir: string;
  /** What happens to files already there (an earlier download, perhaps edited since). */
  policy: ExistingFilePolicy;
  userCredential?: TokenCredential;
  signal?: AbortSignal;
}

export interface DownloadedPart {
  name: string;
  folder: string;
  files: number;
  bytes: number;
  failed: FailedFile[];
  /** Why it was not downloaded at all. */
  skipped?: string;
}

type WantedPart = { name: string; folder: string } & ({ datastore: string; path: string } | { skipped: string });

/**
 * Downloads what a run left behind with the transfer engine, laid out as azure-ai-ml's
 * `jobs.download` does: `artifacts/` (its logs and ./outputs, from the artifact store) and
 * `named-outputs/<name>/`.
 */
export async function downloadRunOutputs(options: RunOutputsDownloadOptions): Promise<DownloadedPart[]> {
  const { client, jobName, signal } = options;
  const job = await client.jobs.get(jobName);
  const wanted: WantedPart[] = [
    { name: 'artifacts', folder: path.join(options.targetDir, 'artifacts'), datastore: artifactDatastoreName, path: jobArtifactFolder(jobName) },
  ];
  const namedOutputs = path.join(options.targetDir, 'named-outputs');
  for (const [name, output] of Object.entries(job.outputs)) {
    const target = localPathForRemoteName(namedOutputs, name);
    if (!target.ok) {
      wanted.push({ name, folder: namedOutputs, skipped: l10n.t('refused: {0}', target.reason) });
      continue;
    }
    const folder = target.localPath;
    const location = output.uri ? parseDatastoreUri(output.uri) : undefined;
    const problem = location && remoteFolderProblem(location.path);
    wanted.push(location && !problem ? { name, folder, ...location }
      : { name, folder, skipped: problem ? l10n.t('its location {0} is not usable: {1}', output.uri ?? '', problem) : output.uri ? l10n.t('not in a datastore ({0})', output.uri) : l10n.t('no location yet') });
  }
  const parts: DownloadedPart[] = [];
  for (const part of wanted) {
    signal?.throwIfAborted();
    if ('skipped' in part) {
      parts.push({ name: part.name, folder: part.folder, files: 0, bytes: 0, failed: [], skipped: part.skipped });
      continue;
    }
    const storage = await openDatastoreForTransfer(client, await client.datastores.get(part.datastore), options.userCredential);
    const result = await downloadFromDatastore(
      { storage, remotePath: part.path, localRoot: part.folder, policy: options.policy },
      signal ? { signal } : {});
    if (result.canceled) throw Object.assign(new Error(l10n.t('The download was canceled.')), { name: 'AbortError' });
    if (result.fatal?.code === folderNotFoundCode) {
      parts.push({ name: part.name, folder: part.folder, files: 0, bytes: 0, failed: [], skipped: l10n.t('nothing there (yet): {0}', result.fatal.message) });
      continue;
    }
    if (result.fatal) throw new AzureMlError(result.fatal.message, result.fatal.status, result.fatal.code);
    // A file refused for its name is not downloaded either: the user is told, as of a failure.
    parts.push({ name: part.name, folder: part.folder, files: result.transferred.files, bytes: result.transferred.bytes, failed: [...result.failed, ...result.notTransferred] });
  }
  return parts;
}
