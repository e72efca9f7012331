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

const submittable = /\.(py|ya?ml)$/i;

/**
 * With no text editor focused (the Get Started walkthrough's button, say), the script or job YAML
 * open in a tab, when there is just one; several are refused, since guessing could submit the wrong one.
 */
function onlyOpenSubmittableFile(): vscode.Uri | undefined {
  const open = new Map<string, vscode.Uri>();
  for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
    const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
    if (uri?.scheme === 'file' && submittable.test(uri.fsPath)) open.set(uri.toString(), uri);
  }
  if (open.size > 1) throw new Error(vscode.l10n.t('Several scripts or job YAML files are open: click in the one you want to submit, then run Submit Current File as Run again.'));
  return [...open.values()][0];
}

function fileToSubmit(arg: unknown): vscode.Uri {
  const uri = arg instanceof vscode.Uri ? arg : (vscode.window.activeTextEditor?.document.uri ?? onlyOpenSubmittableFile());
  if (!uri || uri.scheme !== 'file') throw new Error(vscode.l10n.t('Open a Python script or an Azure ML job YAML file to submit it.'));
  if (!submittable.test(uri.fsPath)) throw new Error(vscode.l10n.t('{0} is neither a Python script (.py) nor a job YAML file (.yml, .yaml).', path.basename(uri.fsPath)));
  return uri;
}

function progressMessage(p: SubmitProgress): string {
  switch (p.phase) {
    case 'listing': return vscode.l10n.t('Listing snapshot files…');
    case 'hashing': return vscode.l10n.t('Hashing {0} files…', p.fileCount ?? 0);
    case 'checking': return vscode.l10n.t('Checking for an identical snapshot…');
    case 'uploading': return vscode.l10n.t('Uploading snapshot: {0}% of {1} files…', Math.round(((p.doneBytes ?? 0) / Math.max(1, p.totalBytes ?? 1)) * 100), p.fileCount ?? 0);
    case 'registering': return vscode.l10n.t('Registering the snapshot…');
    case 'submitting': return vscode.l10n.t('Creating the job…');
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
 * In Restricted Mode, submitting runs the folder's code: through a shell on this machine with the
 * local workspace, and on Azure compute (with the workspace's identity and data) otherwise. As VS
 * Code asks of features that run a workspace's code, it waits for the folder to be trusted: the
 * refusal says so and offers Workspace Trust. True when refused (nothing was submitted).
 */
function refusedInRestrictedMode(context: CommandContext, file: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  const name = path.basename(file);
  const message = context.connections.kind === 'local'
    ? vscode.l10n.t('This folder is open in Restricted Mode, and submitting {0} to the local workspace would run its code on this machine. Nothing was submitted: trust the folder (Manage Workspace Trust), then submit it again.', name)
    : vscode.l10n.t('This folder is open in Restricted Mode, and submitting {0} would upload its code to your Azure ML workspace and run it there. Nothing was submitted: trust the folder (Manage Workspace Trust), then submit it again.', name);
  context.log.warn(message);
  const manageTrust = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window.showWarningMessage(message, manageTrust).then((choice) => {
    if (choice === manageTrust) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return true;
}

/**
 * Submits the open Python script (with picks: experiment, compute, environment, display name,
 * command) or job YAML (as written) to the active workspace, then follows the run in its log.
 * Undefined when refused in Restricted Mode.
 */
export const submitCurrentFile = (runs: RunWatchers, memory: SubmitMemory) => (context: CommandContext) => async (arg?: unknown): Promise<SubmitResult | undefined> => {
  const uri = fileToSubmit(arg);
  const file = uri.fsPath;
  if (refusedInRestrictedMode(context, file)) return undefined;
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
      void vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1}', path.basename(file), draft.warnings.join(' ')));
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
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Azure ML: submitting {0}', path.basename(file)), cancellable: true },
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
    vscode.l10n.t('Submitted {0} to experiment {1}: {2}', path.basename(file), job.experimentName, job.command ?? draft.job.command),
    ...(snapshot
      ? [snapshot.reused
        ? vscode.l10n.t('Snapshot unchanged ({0} files): reusing code {1}:{2}.', snapshot.fileCount, snapshot.name, snapshot.version)
        : vscode.l10n.t('Snapshot uploaded: {0} files, code {1}:{2}.', snapshot.fileCount, snapshot.name, snapshot.version)]
      : []),
    ...draft.warnings.map((w) => `Warning: ${w}`),
    ...(job.studioUrl ? [vscode.l10n.t('Azure ML studio: {0}', job.studioUrl)] : []),
  ];
  await runs.watch(client, workspace, job.name, { job, intro, reveal: true });
  context.views.experiments.refresh();
  const result: SubmitResult = { jobName: job.name, experimentName: job.experimentName };
  if (snapshot) result.snapshot = { reused: snapshot.reused, codeId: snapshot.codeId, fileCount: snapshot.fileCount };
  return result;
};
