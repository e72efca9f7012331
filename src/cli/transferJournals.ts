import { localFileProblem } from '../core/localFileErrors';
import {
  cliJournalRoot, discardTransfer, pendingTransfers, shareTemporariesOf, TransferJournal, type NewTransferPlan, type TransferPlan,
} from '../core/transfer/journal';
import { openDatastoreForTransfer } from '../core/transfer/openDatastore';
import { removeTemporariesLeft } from '../core/transfer/shareStore';
import type { TransferDirection } from '../core/transfer/types';
import { resolveLocalDataDir } from '../local/discovery';
import type { ResolvedTarget, TargetValues } from './target';
import { findDatastore } from './transferRunner';
import { UsageError } from './usage';

/** The workspace a transfer goes to, by name: a resume must name the same one. */
export function workspaceLabel(values: TargetValues): string {
  return values.local
    ? `local (${resolveLocalDataDir(values.data)})`
    : `${values.subscription ?? ''}/${values['resource-group'] ?? ''}/${values.workspace ?? ''}`;
}

/**
 * A journal for a new transfer, so that `--resume` can go on with it if it is interrupted. When
 * none can be written the transfer goes on without (it says so): only a resume needs it.
 */
export async function startJournal(values: TargetValues, plan: Omit<NewTransferPlan, 'workspace'>): Promise<TransferJournal | undefined> {
  const root = cliJournalRoot();
  try {
    return await TransferJournal.start(root, { ...plan, workspace: workspaceLabel(values) });
  } catch (error) {
    process.stderr.write(`azml: can't keep a journal of this transfer in ${root} (${localFileProblem(error) ?? (error as Error).message}); it can't be resumed if interrupted.\n`);
    return undefined;
  }
}

/** `--resume [<id>|latest]`: the interrupted transfer to go on with. */
export async function resumeJournal(values: TargetValues, positionals: string[], direction: TransferDirection): Promise<TransferJournal> {
  const [wanted, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Name one transfer to resume: azml ${direction} --resume [<id>|latest] (azml transfers lists them).`);
  let id = wanted;
  if (id === undefined || id === 'latest') {
    const [latest] = await pendingTransfers(cliJournalRoot(), direction);
    if (!latest) throw new UsageError(`There is no interrupted ${direction} to resume.`);
    id = latest.plan.id;
  }
  const journal = await TransferJournal.resume(cliJournalRoot(), id).catch((error: unknown) => {
    throw new UsageError(`${(error as Error).message} azml transfers lists the interrupted ones.`);
  });
  if (journal.plan.direction !== direction) {
    await journal.close();
    throw new UsageError(`Transfer ${id} is a${direction === 'upload' ? ' download' : 'n upload'}: resume it with azml ${journal.plan.direction} --resume ${id}.`);
  }
  const label = workspaceLabel(values);
  if (journal.plan.workspace !== label) {
    await journal.close();
    throw new UsageError(`Transfer ${id} went to workspace ${journal.plan.workspace}, not ${label}: resume it with that workspace's options.`);
  }
  return journal;
}

/**
 * After a canceled transfer (Ctrl-C): how to go on with it. Not after an error, whose one line
 * says what to fix (azml transfers lists what can be resumed then).
 */
export function printResumeHint(journal: TransferJournal | undefined): void {
  if (journal?.outcome === 'canceled') process.stderr.write(`azml: to go on where it stopped: azml ${journal.plan.direction} --resume ${journal.plan.id} (with the same workspace options)\n`);
}

/**
 * Forgets an interrupted transfer, first removing the temporary files it left in a file share
 * (that needs its workspace); answers how many were removed.
 */
export async function discardJournal(values: TargetValues, target: ResolvedTarget, plan: TransferPlan): Promise<number> {
  const root = cliJournalRoot();
  const tag = await shareTemporariesOf(root, plan.id);
  let removed = 0;
  if (tag !== undefined) {
    if (!target.workspaceClient || workspaceLabel(values) !== plan.workspace) {
      throw new UsageError(`Transfer ${plan.id} left temporary files in ${plan.datastore}/${plan.remotePath}: discard it with the options of workspace ${plan.workspace} (--local, or --subscription, --resource-group and --workspace), so they are removed.`);
    }
    const datastore = await findDatastore(target.workspaceClient, plan.datastore);
    const storage = await openDatastoreForTransfer(target.workspaceClient, datastore, target.credential);
    removed = await removeTemporariesLeft(storage, plan.remotePath, tag, new AbortController().signal);
  }
  await discardTransfer(root, plan.id);
  return removed;
}
