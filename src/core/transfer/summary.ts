import { formatBytes } from '../format';
import type { TransferProgress, TransferResult } from './types';

const count = (n: number): string => n.toLocaleString('en-US');
const files = (n: number): string => `${count(n)} file${n === 1 ? '' : 's'}`;

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : s < 120 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
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
    return `${up ? 'Upload' : 'Download'} canceled: ${count(result.transferred.files)}${of} files ${up ? 'uploaded' : 'downloaded'} ${where} `
      + `(${formatBytes(result.transferred.bytes)}); nothing else was written.`;
  }
  const skipped = result.skipped.existing + result.skipped.unchanged;
  const parts = [nothingToDo(result) ?? `${up ? 'Uploaded' : 'Downloaded'} ${moved} ${where}`];
  if (skipped > 0 && !nothingToDo(result)) parts.push(`skipped ${count(skipped)}`);
  if (result.ignored.files + result.ignored.folders > 0) parts.push(`ignored ${count(result.ignored.files + result.ignored.folders)}`);
  if (result.failed.length > 0) parts.push(`${count(result.failed.length)} failed`);
  if (result.notTransferred.length > 0) parts.push(`${count(result.notTransferred.length)} refused or left out`);
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
    parts.push(`${count(refused)} remote name${one ? ' was' : 's were'} refused (${one ? '' : 'the first: '}${reason}); the other files were downloaded. `
      + `Rename ${one ? 'it' : 'them'} in the datastore to download ${one ? 'it' : 'them'}.`);
  }
  const failed = result.failed.length;
  if (failed > 0) {
    parts.push(`${files(failed)} failed (${shown(result.failed[0]!.path)}: ${result.failed[0]!.reason}); `
      + `fix that, then run the same ${result.direction} again to retry ${failed === 1 ? 'it' : 'them'}.`);
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
  if (items.length > listedLimit) lines.push(`    … and ${count(items.length - listedLimit)} more`);
  return lines;
}

/** The full summary, for the output channel and the terminal. */
export function summaryLines(result: TransferResult): string[] {
  const up = result.direction === 'upload';
  const rate = result.elapsedMs > 0 ? result.transferred.bytes / (result.elapsedMs / 1000) : 0;
  const state = result.fatal ? 'stopped' : result.canceled ? 'canceled' : 'finished';
  const lines = [
    up
      ? `Upload of ${result.localRoot} to ${remoteLabel(result)} ${state} after ${seconds(result.elapsedMs)}.`
      : `Download of ${remoteLabel(result)} to ${result.localRoot} ${state} after ${seconds(result.elapsedMs)}.`,
  ];
  if (result.fatal) lines.push(`  stopped by: ${result.fatal.message}`);
  // Stopped before any file was found (no such folder, no access): counts of nothing say nothing.
  if (result.fatal && result.filesFound === 0 && result.failed.length === 0 && result.notTransferred.length === 0) return lines;
  const nothing = nothingToDo(result);
  if (nothing) lines.push(`  ${nothing}.`);
  else lines.push(`  ${up ? 'uploaded' : 'downloaded'}: ${files(result.transferred.files)}, ${formatBytes(result.transferred.bytes)} (${formatBytes(Math.round(rate))}/s)`);
  if (result.canceled || result.fatal) {
    const notReached = result.filesFound - result.transferred.files - result.skipped.existing - result.skipped.unchanged - result.failed.length;
    if (notReached > 0) lines.push(`  not reached: ${files(notReached)}${result.foundAll ? '' : ' found so far'} (nothing was written for them)`);
  }
  if (result.skipped.unchanged + result.skipped.existing > 0) {
    lines.push(`  skipped: ${count(result.skipped.unchanged)} unchanged, ${count(result.skipped.existing)} already there (${formatBytes(result.skipped.bytes)})`);
  }
  if (up) {
    const rules = result.ignored.rulesFile ? `by ${result.ignored.rulesFile}; ` : '';
    lines.push(`  ignored: ${files(result.ignored.files)} and ${count(result.ignored.folders)} folder${result.ignored.folders === 1 ? '' : 's'} (${rules}.git is always left out)`);
  }
  if (result.emptyFolders > 0) lines.push(`  empty folders created: ${count(result.emptyFolders)}`);
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
    ? `${count(progress.filesDone)} / ${count(progress.filesTotal)} files`
    : `${count(progress.filesDone)} files (counting…)`;
  const bytesPart = progress.bytesTotal !== undefined
    ? `${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}`
    : formatBytes(progress.bytesDone);
  const parts = [filesPart, bytesPart];
  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(Math.round(progress.bytesPerSecond))}/s`);
  if (progress.secondsLeft !== undefined) parts.push(`${seconds(progress.secondsLeft * 1000)} left`);
  return parts.join(' · ');
}
