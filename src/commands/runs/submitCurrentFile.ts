import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadAzureModules } from '../../connection/loadAzureModules';
import type { JobDraft } from '../../core/jobSpec/jobDraft';
import { scriptJobDraft } from '../../core/jobSpec/scriptJob';
import { findSnapshotRoot } from '../../core/snapshot/snapshotRoot';
import type { SubmitProgress } from '../../core/submitJob';
import type { CommandContext } from '../commandContext';
import type { RunWatchers } from './runWatchers';
import { pickScriptRun } from './scriptPicks';
import type { FolderPicks, SubmitMemory } from './submitMemory';

/** What the command answers (the tests read it). */
export interface SubmitResult {
  jobName: string;
  experimentName: string;
  snapshot?: { reused: boolean; codeId: string; fileCount: number };
}

function fileToSubmit(arg: unknown): vscode.Uri {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') throw new Error('Open a Python script or an Azure ML job YAML file to submit it.');
  if (!/\.(py|ya?ml)$/i.test(uri.fsPath)) throw new Error(`${path.basename(uri.fsPath)} is neither a Python script (.py) nor a job YAML file (.yml, .yaml).`);
  return uri;
}

function progressMessage(p: SubmitProgress): string {
  switch (p.phase) {
    case 'listing': return 'Listing snapshot files…';
    case 'hashing': return `Hashing ${p.fileCount} files…`;
    case 'checking': return 'Checking for an identical snapshot…';
    case 'uploading': return `Uploading snapshot: ${Math.round(((p.doneBytes ?? 0) / Math.max(1, p.totalBytes ?? 1)) * 100)}% of ${p.fileCount} files…`;
    case 'registering': return 'Registering the snapshot…';
    case 'submitting': return 'Creating the job…';
  }
}

/** Progress reports at most about 5 a second (uploads report far more often). */
function throttled(report: (message: string) => void): (p: SubmitProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.phase === 'uploading' && now - last < 200) return;
    last = now;
    report(progressMessage(p));
  };
}

/**
 * Submits the open Python script (with picks: experiment, compute, environment, display name,
 * command) or job YAML (as written) to the active workspace, then follows the run in its log.
 */
export const submitCurrentFile = (runs: RunWatchers, memory: SubmitMemory) => (context: CommandContext) => async (arg?: unknown): Promise<SubmitResult> => {
  const uri = fileToSubmit(arg);
  const file = uri.fsPath;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const { client, workspace, connection } = await context.connections.activeWorkspaceClient();
  const sdk = await loadAzureModules();
  const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);

  let draft: JobDraft;
  let remember: { folder: string; picks: FolderPicks } | undefined;
  if (/\.ya?ml$/i.test(file)) {
    draft = await sdk.commandJobFromYaml(await fs.readFile(file, 'utf8'), file, sdk.jobSpecContextOf(client));
    for (const warning of draft.warnings) context.log.warn(`${path.basename(file)}: ${warning}`);
    if (draft.warnings.length > 0) {
      void vscode.window.showWarningMessage(`${path.basename(file)}: ${draft.warnings.join(' ')}`);
    }
  } else {
    const snapshotRoot = findSnapshotRoot(file, workspaceFolders);
    const chosen = await pickScriptRun({
      prompts: context.prompts, client, connectionKind: connection.kind, memory, log: context.log, scriptPath: file, snapshotRoot,
    });
    draft = scriptJobDraft(snapshotRoot, chosen.picks);
    remember = { folder: snapshotRoot, picks: chosen.remember };
  }

  const submitted = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Azure ML: submitting ${path.basename(file)}`, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return sdk.submitJob({
        client, draft, transfer: sdk.snapshotTransfer, signal: controller.signal,
        nameStem: path.basename(file).replace(/\.[^.]+$/, ''),
        onProgress: throttled((message) => progress.report({ message })),
      });
    });
  if (remember) await memory.rememberPicks(remember.folder, remember.picks);
  await memory.rememberEnvironment(draft.job.environmentId);

  const { job, snapshot } = submitted;
  const intro = [
    `Submitted ${path.basename(file)} to experiment ${job.experimentName}: ${job.command ?? draft.job.command}`,
    ...(snapshot
      ? [snapshot.reused
        ? `Snapshot unchanged (${snapshot.fileCount} files): reusing code ${snapshot.name}:${snapshot.version}.`
        : `Snapshot uploaded: ${snapshot.fileCount} files, code ${snapshot.name}:${snapshot.version}.`]
      : []),
    ...draft.warnings.map((w) => `Warning: ${w}`),
    ...(job.studioUrl ? [`Azure ML studio: ${job.studioUrl}`] : []),
  ];
  await runs.watch(client, workspace, job.name, { job, intro, reveal: true });
  context.views.experiments.refresh();
  const result: SubmitResult = { jobName: job.name, experimentName: job.experimentName };
  if (snapshot) result.snapshot = { reused: snapshot.reused, codeId: snapshot.codeId, fileCount: snapshot.fileCount };
  return result;
};
