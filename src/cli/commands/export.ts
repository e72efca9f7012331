import { artifactsNotWritten, exportWorkspaceData, type ExportIndex, type ExportProgress } from '../../core/export/exportWorkspace';
import type { CliCommand } from '../command';
import { formatTable } from '../table';
import { UsageError } from '../usage';

function summaryRows(index: ExportIndex): string[][] {
  return Object.entries(index.kinds).map(([kind, summary]) => 'notOffered' in summary
    ? [kind, '-', `not offered by the service (HTTP ${summary.notOffered.status})`]
    : [kind, String(summary.count), summary.files.join(', ') + (summary.artifactsNotWritten ? ` (${summary.artifactsNotWritten.count} artifact files not written)` : '')]);
}

/** What the export left out, and what to do; undefined when it wrote every artifact file it listed. */
function notWrittenSentence(index: ExportIndex): string | undefined {
  const { count, first } = artifactsNotWritten(index);
  if (count === 0 || !first) return undefined;
  return count === 1
    ? `1 artifact file was not written (${first.path} of job ${first.job}: ${first.reason}); artifacts.jsonl marks it with "notWritten" and the reason. Rename it in the datastore, then export again, to get it.`
    : `${count} artifact files were not written (the first, ${first.path} of job ${first.job}: ${first.reason}); artifacts.jsonl marks each with "notWritten" and the reason. Rename them in the datastore, then export again, to get them.`;
}

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "Export everything about a workspace's work into a folder (JSON Lines; resumes when run again)",
  usage: 'azml export <folder> [--include-artifacts] [--json] <target>\n\n'
    + 'Writes workspace.json, one .jsonl file per kind (computes, datastores without their secrets, environments, codes,\n'
    + 'data, models, experiments, jobs with params and tags, metrics with every logged point, artifacts by name and size)\n'
    + 'and index.json last. --include-artifacts downloads each job\'s artifact files into artifacts/<job>/ too.\n'
    + 'Canceled (Ctrl-C) or interrupted, the same command continues where it stopped; run on a finished export, it updates it.',
  options: { 'include-artifacts': { type: 'boolean' } },
  needsWorkspace: true,
  async run(values, target, positionals) {
    const [folder, ...extra] = positionals;
    if (!folder || extra.length > 0) throw new UsageError('Name one folder to export into: azml export <folder> [--include-artifacts] <target>.');
    const controller = new AbortController();
    const onSigint = (): void => {
      if (controller.signal.aborted) process.exit(130);
      process.stderr.write('\nCanceling… (Ctrl-C again to quit at once)\n');
      controller.abort();
    };
    const interactive = process.stderr.isTTY === true;
    let shown = '';
    const onProgress = (progress: ExportProgress): void => {
      const line = `Exporting ${progress.kind}: ${progress.count}`;
      if (interactive) process.stderr.write(`\r${line.padEnd(shown.length)}`);
      shown = line;
    };
    process.on('SIGINT', onSigint);
    let index: ExportIndex;
    try {
      index = await exportWorkspaceData({
        client: target.workspaceClient!,
        folder,
        includeArtifacts: values['include-artifacts'] === true,
        userCredential: target.credential,
        signal: controller.signal,
        onProgress,
      });
    } catch (error) {
      if (controller.signal.aborted) {
        process.stderr.write(`${interactive ? '\n' : ''}azml: The export was canceled; run the same command again to continue where it stopped.\n`);
        return 130;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSigint);
      if (interactive && shown) process.stderr.write('\n');
    }
    // Exit code 1 when artifact files were left out: the export is not a whole copy.
    const notWritten = notWrittenSentence(index);
    if (values['json']) {
      process.stdout.write(`${JSON.stringify(index, null, 2)}\n`);
    } else {
      process.stdout.write(`${formatTable(['KIND', 'COUNT', 'FILES'], summaryRows(index))}\nExported to ${folder} (index.json lists it all).\n`);
    }
    if (!notWritten) return 0;
    process.stderr.write(`azml: ${notWritten}\n`);
    return 1;
  },
};
