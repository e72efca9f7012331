import * as l10n from '@vscode/l10n';
import { formatBytes } from '../format';
import type { TransferProgress, TransferResult } from './types';

const count = (n: number): string => n.toLocaleString('en-US');
const files = (n: number): string => `${count(n)} file${n === 1 ? '' : 's'}`;

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : s < 120 ? `${Math.round(s)} s` : l10n.t('{0} min {1} s', Math.floor(s / 60), Math.round(s % 60));
}

/** `datastore/folder`, or the datastore alone for its root. */
export function remoteLabel(result: Pick<TransferResult, 'datastoreName' | 'remotePath'>): string {
  return result.remotePath ? `${result.datastoreName}/${result.remotePath}` : result.datastoreName;
}

/**
 * "All 20 files unchanged: nothing to upload to ds/folder", when every file found was skipped
 * (a re-upload where nothing changed); undefined when anything moved, failed or was refused.
 */
function nothingToDo(result: TransferResult): string | undefined {
  const { unchanged, existing } = result.skipped;
  if (result.fatal || result.canceled || result.transferred.files > 0 || unchanged + existing === 0) return undefined;
  if (result.failed.length > 0 || result.notTransferred.length > 0) return undefined;
  const how = existing === 0 ? 'unchanged' : unchanged === 0 ? 'already there' : `unchanged or already there (${count(unchanged)} unchanged)`;
  const total = unchanged + existing;
  const all = total === 1 ? 'The only file' : `All ${count(total)} files`;
  const up = result.direction === 'upload';
  return `${all} ${total === 1 ? 'is' : 'are'} ${how}: nothing to ${up ? 'upload to' : 'download from'} ${remoteLabel(result)}`;
}

/** One sentence for a notification. */
export function summaryHeadline(result: TransferResult): string {
  const up = result.direction === 'upload';
  const where = up ? `to ${remoteLabel(result)}` : `from ${remoteLabel(result)}`;
  const moved = `${files(result.transferred.files)} (${formatBytes(result.transferred.bytes)})`;
  if (result.fatal) {
    return `${result.fatal.message}${result.transferred.files > 0 ? ` ${moved} had been ${up ? 'uploaded' : 'downloaded'} before it stopped.` : ''}`;
  }
  if (result.canceled) {
    const of = result.foundAll ? ` of ${count(result.filesFound)}` : '';
    return l10n.t('{0} canceled: {1}{2} files {3} {4} ', up ? 'Upload' : 'Download', count(result.transferred.files), of, up ? 'uploaded' : 'downloaded', where)
      + l10n.t('({0}); nothing else was written.', formatBytes(result.transferred.bytes));
  }
  const skipped = result.skipped.existing + result.skipped.unchanged;
  const parts = [nothingToDo(result) ?? `${up ? 'Uploaded' : 'Downloaded'} ${moved} ${where}`];
  if (skipped > 0 && !nothingToDo(result)) parts.push(`skipped ${count(skipped)}`);
  if (result.ignored.files + result.ignored.folders > 0) parts.push(`ignored ${count(result.ignored.files + result.ignored.folders)}`);
  if (result.failed.length > 0) parts.push(`${count(result.failed.length)} failed`);
  if (result.notTransferred.length > 0) parts.push(l10n.t('{0} refused or left out', count(result.notTransferred.length)));
  return `${parts.join('; ')}.`;
}

/**
 * One sentence for a transfer that finished but not wholly (remote names refused, files
 * failed): what happened and what to do. Undefined when everything went through, or when it
 * stopped or was canceled (the summary says so).
 */
export function unfinishedSentence(result: TransferResult): string | undefined {
  if (result.fatal || result.canceled) return undefined;
  const parts: string[] = [];
  const refused = result.direction === 'download' ? result.notTransferred.length : 0;
  if (refused > 0) {
    const one = refused === 1;
    const reason = result.notTransferred[0]!.reason.replace(/^refused: /, '');
    parts.push(l10n.t('{0} remote name{1} refused ({2}{3}); the other files were downloaded. ', count(refused), one ? ' was' : 's were', one ? '' : 'the first: ', reason)
      + l10n.t('Rename {0} in the datastore to download {1}.', one ? 'it' : 'them', one ? 'it' : 'them'));
  }
  const failed = result.failed.length;
  if (failed > 0) {
    parts.push(l10n.t('{0} failed ({1}: {2}); ', files(failed), shown(result.failed[0]!.path), result.failed[0]!.reason)
      + l10n.t('fix that, then run the same {0} again to retry {1}.', result.direction, failed === 1 ? 'it' : 'them'));
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** At most this many failures and refusals are listed one per line. */
const listedLimit = 200;

/** A remote name as it may be shown: control characters (a terminal would act on them) spelled out. */
function shown(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function listed(items: ReadonlyArray<{ path: string; reason: string }>): string[] {
  const lines = items.slice(0, listedLimit).map((i) => `    ${shown(i.path)} — ${i.reason}`);
  if (items.length > listedLimit) lines.push(l10n.t('    … and {0} more', count(items.length - listedLimit)));
  return lines;
}

/** The full summary, for the output channel and the terminal. */
export function summaryLines(result: TransferResult): string[] {
  const up = result.direction === 'upload';
  const rate = result.elapsedMs > 0 ? result.transferred.bytes / (result.elapsedMs / 1000) : 0;
  const state = result.fatal ? 'stopped' : result.canceled ? 'canceled' : 'finished';
  const lines = [
    up
      ? l10n.t('Upload of {0} to {1} {2} after {3}.', result.localRoot, remoteLabel(result), state, seconds(result.elapsedMs))
      : l10n.t('Download of {0} to {1} {2} after {3}.', remoteLabel(result), result.localRoot, state, seconds(result.elapsedMs)),
  ];
  if (result.fatal) lines.push(l10n.t('  stopped by: {0}', result.fatal.message));
  // Stopped before any file was found (no such folder, no access): counts of nothing say nothing.
  if (result.fatal && result.filesFound === 0 && result.failed.length === 0 && result.notTransferred.length === 0) return lines;
  const nothing = nothingToDo(result);
  if (nothing) lines.push(`  ${nothing}.`);
  else lines.push(`  ${up ? 'uploaded' : 'downloaded'}: ${files(result.transferred.files)}, ${formatBytes(result.transferred.bytes)} (${formatBytes(Math.round(rate))}/s)`);
  if (result.canceled || result.fatal) {
    const notReached = result.filesFound - result.transferred.files - result.skipped.existing - result.skipped.unchanged - result.failed.length;
    if (notReached > 0) lines.push(l10n.t('  not reached: {0}{1} (nothing was written for them)', files(notReached), result.foundAll ? '' : ' found so far'));
  }
  if (result.skipped.unchanged + result.skipped.existing > 0) {
    lines.push(l10n.t('  skipped: {0} unchanged, {1} already there ({2})', count(result.skipped.unchanged), count(result.skipped.existing), formatBytes(result.skipped.bytes)));
  }
  if (up) {
    const rules = result.ignored.rulesFile ? l10n.t('by {0}; ', result.ignored.rulesFile) : '';
    lines.push(l10n.t('  ignored: {0} and {1} folder{2} ({3}.git is always left out)', files(result.ignored.files), count(result.ignored.folders), result.ignored.folders === 1 ? '' : 's', rules));
  }
  if (result.emptyFolders > 0) lines.push(l10n.t('  empty folders created: {0}', count(result.emptyFolders)));
  lines.push(`  failed: ${count(result.failed.length)}`);
  lines.push(...listed(result.failed));
  if (result.notTransferred.length > 0) {
    lines.push(`  ${up ? 'not uploaded' : 'refused'}: ${count(result.notTransferred.length)}`);
    lines.push(...listed(result.notTransferred));
  }
  return lines;
}

/** "1,234 / 5,000 files · 12 / 48 MiB · 9.8 MiB/s · 4 s left" */
export function progressMessage(progress: TransferProgress): string {
  const filesPart = progress.filesTotal !== undefined
    ? l10n.t('{0} / {1} files', count(progress.filesDone), count(progress.filesTotal))
    : l10n.t('{0} files (counting…)', count(progress.filesDone));
  const bytesPart = progress.bytesTotal !== undefined
    ? `${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}`
    : formatBytes(progress.bytesDone);
  const parts = [filesPart, bytesPart];
  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(Math.round(progress.bytesPerSecond))}/s`);
  if (progress.secondsLeft !== undefined) parts.push(`${seconds(progress.secondsLeft * 1000)} left`);
  return parts.join(' · ');
}
