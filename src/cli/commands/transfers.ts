import { cliJournalRoot, pendingTransfers, transferRunningIn, transferRunningMessage, transferSubject } from '../../core/transfer/journal';
import type { CliCommand } from '../command';
import { formatDate, printItems } from '../output';
import { discardJournal } from '../transferJournals';
import { UsageError } from '../usage';

export const transfersCommand: CliCommand = {
  name: 'transfers',
  summary: 'List interrupted uploads and downloads (resume them with --resume)',
  usage: 'azml transfers [--json]\n       azml transfers --discard <id>\n\n'
    + 'Interrupted transfers are kept (names only, no keys or tokens) in $XDG_STATE_HOME/azml, else ~/.local/state/azml.\n'
    + 'azml upload --resume <id> (or download) goes on with one; --discard forgets one (what it transferred stays;\n'
    + 'temporary files a file share upload left are removed: give the workspace options for that).',
  options: { discard: { type: 'string' } },
  needsWorkspace: false,
  async run(values, target, positionals) {
    if (positionals.length > 0) throw new UsageError(`Unexpected ${positionals.join(' ')}: azml transfers [--discard <id>].`);
    const root = cliJournalRoot();
    const discard = values['discard'];
    if (typeof discard === 'string') {
      const chosen = (await pendingTransfers(root)).find((p) => p.plan.id === discard);
      if (!chosen) {
        const running = await transferRunningIn(root, discard).catch(() => undefined);
        if (running !== undefined) throw new UsageError(transferRunningMessage(discard, running));
        throw new UsageError(`There is no interrupted transfer "${discard}": azml transfers lists them.`);
      }
      const removed = await discardJournal(values, target, chosen.plan);
      const where = `${chosen.plan.datastore}/${chosen.plan.remotePath}`.replace(/\/$/, '');
      process.stdout.write(removed === 0 ? `Discarded ${discard}.\n`
        : `Discarded ${discard} (removed ${removed} temporary file${removed === 1 ? '' : 's'} it left in ${where}).\n`);
      return;
    }
    const pending = await pendingTransfers(root);
    if (pending.length === 0 && values['json'] !== true) {
      process.stdout.write('No interrupted transfers.\n');
      return;
    }
    printItems(pending, [
      { header: 'ID', value: (p) => p.plan.id },
      { header: 'DIRECTION', value: (p) => p.plan.direction },
      { header: 'WHAT', value: (p) => transferSubject(p.plan) },
      { header: 'DATASTORE', value: (p) => `${p.plan.datastore}/${p.plan.remotePath}` },
      { header: 'LEFT', value: (p) => (p.filesTotal === undefined ? `${p.filesDone} done so far` : `${p.filesTotal - p.filesDone} of ${p.filesTotal} files`) },
      { header: 'STARTED', value: (p) => formatDate(new Date(p.plan.createdAt)) },
      { header: 'WORKSPACE', value: (p) => p.plan.workspace },
    ], values['json'] as boolean | undefined);
  },
};
