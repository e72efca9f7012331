import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { abortError, AzureMlError } from '../../azure/errors';
import { machineLearningApiVersion } from '../../azure/mlServiceClient';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { exportLockFileName, lockExportFolder } from './exportLock';
import { exportKinds, type ExportKind } from './exportKinds';
import {
  readExportState, removeExportState, saveExportState, stateFileName, writeFileAtomically,
  type ExportState, type KindInProgress, type KindSummary,
} from './exportState';
import { exportJson, JsonLinesFile } from './jsonLinesFile';

export interface ExportOptions {
  client: WorkspaceClient;
  /** The export folder; created when missing. An interrupted export there is resumed. */
  folder: string;
  /** Download every job's artifact files too (under `artifacts/<job>/`), not just list them. */
  includeArtifacts?: boolean;
  /** Who reads identity-based datastores (the artifact store), when it is one. */
  userCredential?: TokenCredential;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  kind: string;
  /** Items of that kind written so far. */
  count: number;
}

export interface ExportIndex {
  format: 'azml-workspace-export/1';
  exportedAt: string;
  workspaceId: string | null;
  workspace: { id: string; subscriptionId: string; resourceGroup: string; workspaceName: string };
  apiVersions: Record<string, string>;
  includeArtifacts: boolean;
  /** Each kind's files and item count, or `notOffered` with the service's answer when it has no such list. */
  kinds: Record<string, KindSummary>;
}

export const indexFileName = 'index.json';
export const workspaceFileName = 'workspace.json';

/** What the service answers for a list it does not have (the local workspace has no environments, say). */
function notOfferedAnswer(error: unknown): { status: number; code?: string } | undefined {
  if (!(error instanceof AzureMlError) || error.status === undefined) return undefined;
  if (![404, 405, 501].includes(error.status)) return undefined;
  return { status: error.status, ...(error.code ? { code: error.code } : {}) };
}

const partialName = (file: string): string => `${file}.partial`;

async function sizeOf(file: string): Promise<number> {
  return (await fs.stat(file).catch(() => undefined))?.size ?? 0;
}

/**
 * Exports everything about a workspace's work into a folder: one JSON Lines file per kind,
 * each list read page by page and appended as it comes, then `index.json`. A kind is written
 * to `<file>.partial` and renamed when complete; a state file records where the kind in
 * progress stands after every item, so running again after a cancel or crash resumes there
 * without writing anything twice. A complete export is redone (updated) by running again.
 */
export async function exportWorkspaceData(options: ExportOptions): Promise<ExportIndex> {
  const { folder } = options;
  const includeArtifacts = options.includeArtifacts ?? false;
  await fs.mkdir(folder, { recursive: true });
  await refuseForeignFolder(folder);
  const release = await lockExportFolder(folder);
  try {
    return await exportLocked(options, includeArtifacts);
  } finally {
    await release();
  }
}

/**
 * An export writes index.json, workspace.json and a file per kind: into an empty folder or an
 * earlier export (which it updates), never over a folder of other files with those names.
 */
async function refuseForeignFolder(folder: string): Promise<void> {
  const names = await fs.readdir(folder);
  if (names.length === 0 || await isExportFolder(folder, names)) return;
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
  throw new AzureMlError(l10n.t('{0} holds other files ({1}) and no earlier export: export into an empty folder, or into an earlier export to update it. Nothing was written.',
    folder, shown), undefined, 'ExportFolderNotEmpty');
}

async function isExportFolder(folder: string, names: string[]): Promise<boolean> {
  // An interrupted first export has its state file (or only its lock) and no index yet.
  if (names.includes(stateFileName) || names.every((name) => name === exportLockFileName)) return true;
  const index = await fs.readFile(path.join(folder, indexFileName), 'utf8').then((text) => JSON.parse(text) as Partial<ExportIndex>, () => undefined);
  return index?.format === 'azml-workspace-export/1';
}

async function exportLocked(options: ExportOptions, includeArtifacts: boolean): Promise<ExportIndex> {
  const { client, folder, signal } = options;
  const workspace = await client.getWorkspace();
  const earlier = await readExportState(folder);
  const state: ExportState = earlier && earlier.includeArtifacts === includeArtifacts
    ? earlier
    : { version: 1, includeArtifacts, finished: {} };
  await writeFileAtomically(path.join(folder, workspaceFileName), `${exportJson(workspace, 2)}\n`);

  const kinds = exportKinds({
    client,
    includeArtifacts,
    artifactsFolder: path.join(folder, 'artifacts'),
    ...(options.userCredential ? { userCredential: options.userCredential } : {}),
  });
  for (const kind of kinds) {
    if (state.finished[kind.name]) continue;
    if (signal?.aborted) throw abortError();
    state.finished[kind.name] = await exportKind(kind, folder, state, options);
    delete state.current;
    await saveExportState(folder, state);
  }

  const index: ExportIndex = {
    format: 'azml-workspace-export/1',
    exportedAt: new Date().toISOString(),
    workspaceId: workspace.workspaceId ?? null,
    workspace: { id: workspace.id, ...client.workspace },
    apiVersions: { 'Microsoft.MachineLearningServices': machineLearningApiVersion, runHistory: 'v1.0', mlflow: '2.0' },
    includeArtifacts,
    kinds: { workspace: { files: [workspaceFileName], count: 1 }, ...state.finished },
  };
  await writeFileAtomically(path.join(folder, indexFileName), `${JSON.stringify(index, null, 2)}\n`);
  await removeExportState(folder);
  return index;
}

async function resumePoint(kind: ExportKind, folder: string, state: ExportState): Promise<KindInProgress> {
  const fresh: KindInProgress = { kind: kind.name, doneInPage: [], count: 0, bytes: {} };
  const current = state.current?.kind === kind.name ? state.current : undefined;
  if (!current) return fresh;
  for (const file of kind.files) {
    // Shorter than recorded: not the file the state describes (removed by hand, say); start the kind again.
    if (await sizeOf(path.join(folder, partialName(file))) < (current.bytes[file] ?? 0)) return fresh;
  }
  return current;
}

async function exportKind(kind: ExportKind, folder: string, state: ExportState, options: ExportOptions): Promise<KindSummary> {
  const { signal } = options;
  const current = await resumePoint(kind, folder, state);
  state.current = current;
  const files = new Map<string, JsonLinesFile>();
  try {
    for (const file of kind.files) files.set(file, await JsonLinesFile.open(path.join(folder, partialName(file)), current.bytes[file] ?? 0));
    const sink = (file: string, records: readonly unknown[]): Promise<void> => files.get(file)!.append(records);
    const seenTokens = new Set<string>();
    do {
      if (signal?.aborted) throw abortError();
      let page;
      try {
        page = await kind.listPage(current.pageToken);
      } catch (error) {
        const answer = current.pageToken === undefined && current.count === 0 ? notOfferedAnswer(error) : undefined;
        if (!answer) throw error;
        for (const file of files.values()) await file.close();
        files.clear();
        for (const file of kind.files) await fs.rm(path.join(folder, partialName(file)), { force: true });
        return { notOffered: answer };
      }
      const done = new Set(current.doneInPage);
      for (const item of page.items) {
        const id = kind.idOf(item);
        if (done.has(id)) continue;
        if (signal?.aborted) throw abortError();
        await kind.write(item, sink, signal);
        done.add(id);
        current.doneInPage = [...done];
        current.count++;
        for (const [file, writer] of files) current.bytes[file] = writer.size;
        await saveExportState(folder, state);
        options.onProgress?.({ kind: kind.name, count: current.count });
      }
      const next = page.continuationToken;
      if (next !== undefined) {
        if (seenTokens.has(next)) break;
        seenTokens.add(next);
        current.pageToken = next;
      } else {
        delete current.pageToken;
      }
      current.doneInPage = [];
      await saveExportState(folder, state);
      if (next === undefined) break;
    } while (true);
  } finally {
    for (const file of files.values()) await file.close();
  }
  for (const file of kind.files) await fs.rename(path.join(folder, partialName(file)), path.join(folder, file));
  return { files: kind.files, count: current.count };
}
