import {
  cliJournalRoot, discardedDamagedMessage, discardTransfer, interruptedTransfers, transferRunningIn, transferRunningMessage, transferSubject,
  type PendingTransfer,
} from '../../core/transfer/journal';
import type { CliCommand } from '../command';
import { formatDate, printItems, printMasked } from '../output';
import { discardJournal } from '../transferJournals';
import { UsageError } from '../usage';

export const transfersCommand: CliCommand = {
  name: 'transfers',
  summary: 'List interrupted uploads and downloads (resume them with --resume)',
  usage: 'azml transfers [--json]\n       azml transfers --discard <id>\n\n'
    + 'Interrupted transfers are kept (names only, no keys or tokens) in $XDG_STATE_HOME/azml, else ~/.local/state/azml.\n'
    + 'azml upload --resume <id> (or download) goes on with one; --discard forgets one (what it transferred stays;\n'
    + 'temporary files a file share upload left are removed: give the workspace options for that).\n'
    + 'One whose journal is damaged can\'t be resumed, only discarded.',
  options: { discard: { type: 'string' } },
  needsWorkspace: false,
  async run(values, target, positionals) {
    if (positionals.length > 0) throw new UsageError(`Unexpected ${positionals.join(' ')}: azml transfers [--discard <id>].`);
    const root = cliJournalRoot();
    const discard = values['discard'];
    const { pending, damaged } = await interruptedTransfers(root);
    if (typeof discard === 'string') {
      const chosen = pending.find((p) => p.plan.id === discard);
      if (chosen) {
        const removed = await discardJournal(values, target, chosen.plan);
        const where = `${chosen.plan.datastore}/${chosen.plan.remotePath}`.replace(/\/$/, '');
        process.stdout.write(removed === 0 ? `Discarded ${discard}.\n`
          : `Discarded ${discard} (removed ${removed} temporary file${removed === 1 ? '' : 's'} it left in ${where}).\n`);
        return;
      }
      if (damaged.some((d) => d.id === discard)) {
        await discardTransfer(root, discard);
        process.stdout.write(`${discardedDamagedMessage(discard)}\n`);
        return;
      }
      const running = await transferRunningIn(root, discard).catch(() => undefined);
      if (running !== undefined) throw new UsageError(transferRunningMessage(discard, running));
      throw new UsageError(`There is no interrupted transfer "${discard}": azml transfers lists them.`);
    }
    if (values['json'] === true) {
      // Those whose plan can't be read have no plan: an id, and why.
      printMasked(JSON.stringify([...pending, ...damaged.map((d) => ({ id: d.id, startedAt: d.startedAt, damaged: d.reason, folder: d.dir }))], null, 2));
      return;
    }
    if (pending.length === 0 && damaged.length === 0) {
      process.stdout.write('No interrupted transfers.\n');
      return;
    }
    if (pending.length > 0) {
      printItems(pending, [
        { header: 'ID', value: (p) => p.plan.id },
        { header: 'DIRECTION', value: (p) => p.plan.direction },
        { header: 'WHAT', value: (p) => transferSubject(p.plan) },
        { header: 'DATASTORE', value: (p) => `${p.plan.datastore}/${p.plan.remotePath}` },
        { header: 'LEFT', value: filesLeft },
        { header: 'STARTED', value: (p) => formatDate(new Date(p.plan.createdAt)) },
        { header: 'WORKSPACE', value: (p) => p.plan.workspace },
      ], false);
    }
    if (damaged.length > 0) {
      process.stdout.write(`${pending.length > 0 ? '\n' : ''}Damaged: these can't be resumed, only discarded (azml transfers --discard <id>):\n`);
      printItems(damaged, [
        { header: 'ID', value: (d) => d.id },
        { header: 'STARTED', value: (d) => formatDate(new Date(d.startedAt)) },
        { header: 'DAMAGE', value: (d) => d.reason },
      ], false);
    }
  },
};

function filesLeft(p: PendingTransfer): string {
  if (p.damaged !== undefined) return `journal damaged (${p.damaged})`;
  return p.filesTotal === undefined ? `${p.filesDone} done so far` : `${p.filesTotal - p.filesDone} of ${p.filesTotal} files`;
}
