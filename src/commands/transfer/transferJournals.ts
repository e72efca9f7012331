import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ActiveWorkspace } from '../../connection/connection';
import { loadAzureModules } from '../../connection/loadAzureModules';
import {
  discardedDamagedMessage, discardTransfer, interruptedTransfers, resumeSentence, shareTemporariesOf, TransferJournal, transferRunningIn,
  transferRunningMessage, type DamagedJournal, type NewTransferPlan, type TransferPlan,
} from '../../core/transfer/journal';
import { DatastoreStorageAccess } from '../../tree/datastores/datastoreStorageAccess';
import { describeError } from '../../ui/describeError';
import { vscodePrompts } from '../../ui/prompts';
import type { CommandContext } from '../commandContext';
import type { DatastoreTarget } from './datastoreTargets';

/** The workspace a transfer goes to, by name: it resumes only in that workspace. */
function workspaceLabel(workspace: ActiveWorkspace): string {
  return `${workspace.connectionKind}:${workspace.subscriptionId}/${workspace.resourceGroup}/${workspace.workspaceName}`;
}

/**
 * A journal for a new transfer in the extension's global storage, so that it can resume after a
 * cancel or a closed window. Without one (storage not writable) the transfer still runs.
 */
export async function startJournal(context: CommandContext, target: DatastoreTarget,
  plan: Omit<NewTransferPlan, 'workspace' | 'datastore'>): Promise<TransferJournal | undefined> {
  try {
    return await TransferJournal.start(context.journalRoot, {
      ...plan, datastore: target.datastore.name, workspace: workspaceLabel(target.access.workspace),
    });
  } catch (error) {
    context.log.warn(vscode.l10n.t('No journal for this transfer (it cannot resume if interrupted): {0}', (error as Error).message));
    return undefined;
  }
}

export type TransferResumer = (target: DatastoreTarget, journal: TransferJournal) => Promise<unknown>;

export const resumeTransferCommand = 'azureml.resumeTransfer';

/**
 * Goes on with an interrupted transfer (the newest one when no id is given), in the active
 * workspace, which must be the one it went to. One whose plan can't be read is offered to discard.
 */
export async function resumeTransfer(context: CommandContext, id: string | undefined,
  resumers: Record<'upload' | 'download', TransferResumer>): Promise<unknown> {
  const { pending, damaged } = await interruptedTransfers(context.journalRoot);
  const chosen = id === undefined ? pending[0] : pending.find((p) => p.plan.id === id);
  if (!chosen) {
    const unreadable = id === undefined ? damaged[0] : damaged.find((d) => d.id === id);
    if (unreadable) return offerDiscardDamaged(context, unreadable);
    const running = id === undefined ? undefined : await transferRunningIn(context.journalRoot, id);
    void vscode.window.showInformationMessage(id !== undefined && running !== undefined
      ? transferRunningMessage(id, running)
      : l10n.t('There is no interrupted upload or download to resume.'));
    return undefined;
  }
  const { plan } = chosen;
  const { client, connection, workspace } = await context.connections.activeWorkspaceClient();
  if (workspaceLabel(workspace) !== plan.workspace) {
    void vscode.window.showWarningMessage(l10n.t('This transfer went to workspace {0}: select that workspace, then resume it.',
      plan.workspace.split('/').pop() ?? plan.workspace));
    return undefined;
  }
  const datastore = await client.datastores.get(plan.datastore);
  const journal = await TransferJournal.resume(context.journalRoot, plan.id);
  const target: DatastoreTarget = { datastore, access: new DatastoreStorageAccess(datastore, client, connection, workspace), folderPath: plan.remotePath };
  return resumers[plan.direction](target, journal);
}

/**
 * On start: the newest interrupted transfer, offered in one notification ("Resume upload of X:
 * N of M files left") with Resume and Discard; one whose plan can't be read, with Discard only.
 * Reads only the journal folder (no network).
 */
export async function offerResume(context: CommandContext): Promise<void> {
  const { pending: [newest], damaged: [newestDamaged] } = await interruptedTransfers(context.journalRoot);
  if (newestDamaged && (!newest || Date.parse(newestDamaged.startedAt) >= Date.parse(newest.plan.createdAt))) {
    await offerDiscardDamaged(context, newestDamaged);
    return;
  }
  if (!newest) return;
  const resumeLabel = l10n.t('Resume');
  const discardLabel = l10n.t('Discard');
  // A damaged journal would only be refused on resume.
  const choices = newest.damaged === undefined ? [resumeLabel, discardLabel] : [discardLabel];
  const choice = await (context.prompts.offer ?? vscodePrompts.offer!)(resumeSentence(newest), choices);
  if (choice === resumeLabel) await vscode.commands.executeCommand(resumeTransferCommand, newest.plan.id);
  else if (choice === discardLabel) await discardInterrupted(context, newest.plan);
}

/**
 * Forgets an interrupted transfer; the temporary files a file share upload left are removed
 * first, in the active workspace, which must be the one it went to (else it stays, to discard later).
 */
async function discardInterrupted(context: CommandContext, plan: TransferPlan): Promise<void> {
  const tag = await shareTemporariesOf(context.journalRoot, plan.id);
  if (tag !== undefined) {
    try {
      const { client, connection, workspace } = await context.connections.activeWorkspaceClient();
      if (workspaceLabel(workspace) !== plan.workspace) {
        void vscode.window.showWarningMessage(vscode.l10n.t('This upload left temporary files in datastore {0} of workspace {1}: select that workspace, then discard it when it is offered again.',
          plan.datastore, plan.workspace.split('/').pop() ?? plan.workspace));
        return;
      }
      const datastore = await client.datastores.get(plan.datastore);
      const storage = await new DatastoreStorageAccess(datastore, client, connection, workspace).open();
      const sdk = await loadAzureModules();
      await sdk.removeTemporariesLeft(storage, plan.remotePath, tag, new AbortController().signal);
    } catch (error) {
      // The journal stays (offered again on the next start) until its temporary files are gone.
      const described = describeError(error, context.connections.kind);
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('The temporary files this upload left in datastore {0} could not be removed: {1} It is offered again on the next start.',
        plan.datastore, described.message), ...(described.remedy ? [described.remedy.title] : []));
      if (described.remedy && choice === described.remedy.title) await vscode.commands.executeCommand(described.remedy.command);
      return;
    }
  }
  await discardTransfer(context.journalRoot, plan.id);
}

/** A journal whose plan can't be read: said so, with Discard only (it can't be resumed). */
async function offerDiscardDamaged(context: CommandContext, journal: DamagedJournal): Promise<void> {
  const discardLabel = l10n.t('Discard');
  const message = l10n.t('The journal of interrupted transfer {0} is damaged ({1}): it can\'t be resumed, only discarded.', journal.id, journal.reason);
  if (await (context.prompts.offer ?? vscodePrompts.offer!)(message, [discardLabel]) !== discardLabel) return;
  await discardTransfer(context.journalRoot, journal.id);
  void vscode.window.showInformationMessage(discardedDamagedMessage(journal.id));
}
