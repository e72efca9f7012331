import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { abortError, AzureMlError, repeatedPageError } from '../../azure/errors';
import { machineLearningApiVersion } from '../../azure/mlServiceClient';
import type { Workspace } from '../../azure/domain';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { workspaceResourceId } from '../../azure/workspaceContext';
import { exportLockFileName, lockExportFolder } from './exportLock';
import { exportKinds, type ExportKind } from './exportKinds';
import {
  notWrittenListed, readExportState, removeExportState, saveExportState, stateFileName, writeFileAtomically,
  type ExportOwner, type ExportState, type KindInProgress, type KindSummary,
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
  /** `id` as the service tells it; `resourceId` is the client's, what a later export into the folder is checked against. */
  workspace: { id: string; resourceId?: string; subscriptionId: string; resourceGroup: string; workspaceName: string };
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
 * Both only for the same workspace: a folder holding another workspace's export is refused.
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
  // The lock's own temporary and takeover files (`<lock>.…`) are another export's, running or crashed: the lock says which.
  const names = (await fs.readdir(folder)).filter((name) => !name.startsWith(`${exportLockFileName}.`));
  if (names.length === 0 || await isExportFolder(folder, names)) return;
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
  throw new AzureMlError(l10n.t('{0} holds other files ({1}) and no earlier export: export into an empty folder, or into an earlier export to update it. Nothing was written.',
    folder, shown), undefined, 'ExportFolderNotEmpty');
}

async function isExportFolder(folder: string, names: string[]): Promise<boolean> {
  // An interrupted first export has its state file (or only its lock) and no index yet.
  if (names.includes(stateFileName) || names.every((name) => name === exportLockFileName)) return true;
  return (await readJsonFile<ExportIndex>(path.join(folder, indexFileName)))?.format === 'azml-workspace-export/1';
}

/** A workspace an export in the folder records, as far as it does. */
interface RecordedOwner {
  resourceId: string;
  workspaceId?: string;
  /** Whether it is an unfinished export's (the state file) or a finished one's. */
  unfinished: boolean;
}

type RefPart = Partial<{ subscriptionId: unknown; resourceGroup: unknown; workspaceName: unknown }>;

function resourceIdOf(ref: RefPart | undefined): string | undefined {
  if (!ref) return undefined;
  const { subscriptionId, resourceGroup, workspaceName } = ref;
  if (typeof subscriptionId !== 'string' || typeof resourceGroup !== 'string' || typeof workspaceName !== 'string') return undefined;
  if (!subscriptionId || !resourceGroup || !workspaceName) return undefined;
  return workspaceResourceId({ subscriptionId, resourceGroup, workspaceName });
}

async function readJsonFile<T>(file: string): Promise<Partial<T> | undefined> {
  const parsed = await fs.readFile(file, 'utf8').then((text) => JSON.parse(text) as unknown, () => undefined);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Partial<T> : undefined;
}

const workspaceNameIn = (resourceId: string): string => decodeURIComponent(resourceId.slice(resourceId.lastIndexOf('/') + 1));

/**
 * Refuses, changing nothing, to export a workspace into a folder that holds an export (finished
 * or not) of another one: updating it would overwrite that copy, and resuming it would mix its
 * files and page tokens into this export. Whose export it is: the state file says (an unfinished
 * export), else index.json (a finished one), and workspace.json, which every export writes first,
 * for an unfinished export begun by an older version that recorded it nowhere else.
 */
async function refuseOtherWorkspace(folder: string, owner: ExportOwner, workspace: Workspace, state: ExportState | undefined): Promise<void> {
  const unfinished = state !== undefined || await fs.stat(path.join(folder, stateFileName)).then(() => true, () => false);
  const index = await readJsonFile<ExportIndex>(path.join(folder, indexFileName));
  const isIndex = index?.format === 'azml-workspace-export/1';
  const described = await readJsonFile<Workspace>(path.join(folder, workspaceFileName));
  const recorded: RecordedOwner[] = [];
  const add = (resourceId: string | undefined, workspaceId: unknown, fromState: boolean): void => {
    if (resourceId) recorded.push({ resourceId, ...(typeof workspaceId === 'string' && workspaceId ? { workspaceId } : {}), unfinished: fromState });
  };
  if (state?.workspace) add(state.workspace.resourceId, state.workspace.workspaceId, true);
  if (isIndex) add(typeof index.workspace?.resourceId === 'string' ? index.workspace.resourceId : resourceIdOf(index.workspace), index.workspaceId, false);
  if (unfinished || isIndex) add(resourceIdOf(described), described?.workspaceId, unfinished);
  if (recorded.length === 0) {
    if (!unfinished && !isIndex) return;
    throw new AzureMlError(l10n.t('{0} holds an export that does not record which workspace it is of, so it is neither resumed nor overwritten. Export workspace {1} into an empty folder, or delete that export\'s files from {0} first. Nothing in {0} was changed.',
      folder, workspace.workspaceName), undefined, 'ExportOfAnotherWorkspace');
  }
  for (const other of recorded) {
    if (other.resourceId.toLowerCase() !== owner.resourceId.toLowerCase()) {
      const name = workspaceNameIn(other.resourceId);
      throw new AzureMlError(other.unfinished || unfinished
        ? l10n.t('{0} holds an unfinished export of another workspace, {1} ({2}). Export workspace {3} into an empty folder, or export {1} into {0} to finish that export. Nothing in {0} was changed.',
          folder, name, other.resourceId, workspace.workspaceName)
        : l10n.t('{0} holds the export of another workspace, {1} ({2}). Export workspace {3} into an empty folder, or export {1} into {0} to update that export. Nothing in {0} was changed.',
          folder, name, other.resourceId, workspace.workspaceName), undefined, 'ExportOfAnotherWorkspace');
    }
    if (other.workspaceId && owner.workspaceId && other.workspaceId.toLowerCase() !== owner.workspaceId.toLowerCase()) {
      throw new AzureMlError(l10n.t('{0} holds an export of an earlier workspace named {1} (workspace id {2}; this one is {3}), perhaps deleted since: export into an empty folder, so as to keep that export. Nothing in {0} was changed.',
        folder, workspace.workspaceName, other.workspaceId, owner.workspaceId), undefined, 'ExportOfAnotherWorkspace');
    }
  }
}

async function exportLocked(options: ExportOptions, includeArtifacts: boolean): Promise<ExportIndex> {
  const { client, folder, signal } = options;
  const workspace = await client.getWorkspace();
  const owner: ExportOwner = { resourceId: client.resourceId, ...(workspace.workspaceId ? { workspaceId: workspace.workspaceId } : {}) };
  const earlier = await readExportState(folder);
  await refuseOtherWorkspace(folder, owner, workspace, earlier);
  const state: ExportState = earlier && earlier.includeArtifacts === includeArtifacts
    ? { ...earlier, workspace: owner }
    : { version: 1, workspace: owner, includeArtifacts, finished: {} };
  // Whose export this is, recorded before anything else is written.
  await saveExportState(folder, state);
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
    workspace: { id: workspace.id, resourceId: client.resourceId, ...client.workspace },
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
        const outcome = await kind.write(item, sink, signal);
        if (outcome?.artifactsNotWritten?.length) {
          const summary = current.artifactsNotWritten ??= { count: 0, first: [] };
          summary.count += outcome.artifactsNotWritten.length;
          summary.first.push(...outcome.artifactsNotWritten.slice(0, Math.max(0, notWrittenListed - summary.first.length)));
        }
        done.add(id);
        current.doneInPage = [...done];
        current.count++;
        for (const [file, writer] of files) current.bytes[file] = writer.size;
        await saveExportState(folder, state);
        options.onProgress?.({ kind: kind.name, count: current.count });
      }
      const next = page.continuationToken;
      if (next !== undefined) {
        if (seenTokens.has(next)) throw repeatedPageError();
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
  return { files: kind.files, count: current.count, ...(current.artifactsNotWritten ? { artifactsNotWritten: current.artifactsNotWritten } : {}) };
}

/** The artifact files an export did not write (their names refused here), over every kind. */
export function artifactsNotWritten(index: Pick<ExportIndex, 'kinds'>): { count: number; first?: { job: string; path: string; reason: string } } {
  let count = 0;
  let first: { job: string; path: string; reason: string } | undefined;
  for (const summary of Object.values(index.kinds)) {
    if (!('files' in summary) || !summary.artifactsNotWritten) continue;
    count += summary.artifactsNotWritten.count;
    first ??= summary.artifactsNotWritten.first[0];
  }
  return { count, ...(first ? { first } : {}) };
}
