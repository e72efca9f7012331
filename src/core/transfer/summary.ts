import * as l10n from '@vscode/l10n';
import { formatBytes, formatCount as count, formatDecimal } from '../format';
import type { TransferProgress, TransferResult } from './types';

/** "1 file", "20 files": a whole noun phrase, so a translation can put it anywhere in its sentence. */
const files = (n: number): string => (n === 1 ? l10n.t('1 file') : l10n.t('{0} files', count(n)));
const folders = (n: number): string => (n === 1 ? l10n.t('1 folder') : l10n.t('{0} folders', count(n)));

function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return l10n.t('{0} s', formatDecimal(s, 1));
  return s < 120 ? l10n.t('{0} s', Math.round(s)) : l10n.t('{0} min {1} s', Math.floor(s / 60), Math.round(s % 60));
}

/** `datastore/folder`, or the datastore alone for its root. */
export function remoteLabel(result: Pick<TransferResult, 'datastoreName' | 'remotePath'>): string {
  return result.remotePath ? `${result.datastoreName}/${result.remotePath}` : result.datastoreName;
}

/**
 * "All 20 files are unchanged: nothing to upload to ds/folder", when every file found was skipped
 * (a re-upload where nothing changed); undefined when anything moved, failed or was refused.
 */
function nothingToDo(result: TransferResult): string | undefined {
  const { unchanged, existing } = result.skipped;
  if (result.fatal || result.canceled || result.transferred.files > 0 || unchanged + existing === 0) return undefined;
  if (result.failed.length > 0 || result.notTransferred.length > 0) return undefined;
  const total = unchanged + existing;
  const where = remoteLabel(result);
  if (result.direction === 'upload') {
    if (total === 1) return unchanged === 1 ? l10n.t('The only file is unchanged: nothing to upload to {0}', where) : l10n.t('The only file is already there: nothing to upload to {0}', where);
    if (existing === 0) return l10n.t('All {0} files are unchanged: nothing to upload to {1}', count(total), where);
    if (unchanged === 0) return l10n.t('All {0} files are already there: nothing to upload to {1}', count(total), where);
    return l10n.t('All {0} files are unchanged or already there ({1} unchanged): nothing to upload to {2}', count(total), count(unchanged), where);
  }
  if (total === 1) return unchanged === 1 ? l10n.t('The only file is unchanged: nothing to download from {0}', where) : l10n.t('The only file is already there: nothing to download from {0}', where);
  if (existing === 0) return l10n.t('All {0} files are unchanged: nothing to download from {1}', count(total), where);
  if (unchanged === 0) return l10n.t('All {0} files are already there: nothing to download from {1}', count(total), where);
  return l10n.t('All {0} files are unchanged or already there ({1} unchanged): nothing to download from {2}', count(total), count(unchanged), where);
}

function canceledHeadline(result: TransferResult): string {
  const n = result.transferred.files;
  const where = remoteLabel(result);
  const bytes = formatBytes(result.transferred.bytes);
  if (result.direction === 'upload') {
    return result.foundAll
      ? l10n.t('Upload canceled: {0} of {1} files uploaded to {2} ({3}); nothing else was written.', count(n), count(result.filesFound), where, bytes)
      : l10n.t('Upload canceled: {0} uploaded to {1} ({2}); nothing else was written.', files(n), where, bytes);
  }
  return result.foundAll
    ? l10n.t('Download canceled: {0} of {1} files downloaded from {2} ({3}); nothing else was written.', count(n), count(result.filesFound), where, bytes)
    : l10n.t('Download canceled: {0} downloaded from {1} ({2}); nothing else was written.', files(n), where, bytes);
}

/** One sentence for a notification. */
export function summaryHeadline(result: TransferResult): string {
  const up = result.direction === 'upload';
  const where = remoteLabel(result);
  const moved = files(result.transferred.files);
  const bytes = formatBytes(result.transferred.bytes);
  if (result.fatal) {
    if (result.transferred.files === 0) return result.fatal.message;
    const one = result.transferred.files === 1;
    const n = count(result.transferred.files);
    const before = up
      ? (one ? l10n.t('1 file ({0}) had been uploaded before it stopped.', bytes) : l10n.t('{0} files ({1}) had been uploaded before it stopped.', n, bytes))
      : (one ? l10n.t('1 file ({0}) had been downloaded before it stopped.', bytes) : l10n.t('{0} files ({1}) had been downloaded before it stopped.', n, bytes));
    return `${result.fatal.message} ${before}`;
  }
  if (result.canceled) return canceledHeadline(result);
  const nothing = nothingToDo(result);
  // Each clause stands alone ("3 skipped"), so the list reads right in any language.
  const parts = [nothing ?? (up ? l10n.t('Uploaded {0} ({1}) to {2}', moved, bytes, where) : l10n.t('Downloaded {0} ({1}) from {2}', moved, bytes, where))];
  const skipped = result.skipped.existing + result.skipped.unchanged;
  if (skipped > 0 && !nothing) parts.push(l10n.t('{0} skipped', count(skipped)));
  const ignored = result.ignored.files + result.ignored.folders;
  if (ignored > 0) parts.push(l10n.t('{0} ignored', count(ignored)));
  if (result.failed.length > 0) parts.push(l10n.t('{0} failed', count(result.failed.length)));
  if (result.notTransferred.length > 0) parts.push(l10n.t('{0} refused or left out', count(result.notTransferred.length)));
  return `${parts.join('; ')}.`;
}

function refusedSentence(result: TransferResult, refused: number): string {
  const prefix = l10n.t('refused: {0}', '');
  const first = result.notTransferred[0]!.reason;
  const reason = first.startsWith(prefix) ? first.slice(prefix.length) : first;
  return refused === 1
    ? l10n.t('1 remote name was refused ({0}); the other files were downloaded. Rename it in the datastore to download it.', reason)
    : l10n.t('{0} remote names were refused (the first: {1}); the other files were downloaded. Rename them in the datastore to download them.', count(refused), reason);
}

function failedSentence(result: TransferResult): string {
  const failed = result.failed.length;
  const first = shown(result.failed[0]!.path);
  const reason = result.failed[0]!.reason;
  if (result.direction === 'upload') {
    return failed === 1
      ? l10n.t('1 file failed ({0}: {1}); fix that, then run the same upload again to retry it.', first, reason)
      : l10n.t('{0} files failed ({1}: {2}); fix that, then run the same upload again to retry them.', count(failed), first, reason);
  }
  return failed === 1
    ? l10n.t('1 file failed ({0}: {1}); fix that, then run the same download again to retry it.', first, reason)
    : l10n.t('{0} files failed ({1}: {2}); fix that, then run the same download again to retry them.', count(failed), first, reason);
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
  if (refused > 0) parts.push(refusedSentence(result, refused));
  if (result.failed.length > 0) parts.push(failedSentence(result));
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

/** "Upload of … finished after 3.2 s.": one whole sentence per direction and ending. */
function firstLine(result: TransferResult): string {
  const took = seconds(result.elapsedMs);
  const remote = remoteLabel(result);
  const local = result.localRoot;
  if (result.direction === 'upload') {
    if (result.fatal) return l10n.t('Upload of {0} to {1} stopped after {2}.', local, remote, took);
    if (result.canceled) return l10n.t('Upload of {0} to {1} canceled after {2}.', local, remote, took);
    return l10n.t('Upload of {0} to {1} finished after {2}.', local, remote, took);
  }
  if (result.fatal) return l10n.t('Download of {0} to {1} stopped after {2}.', remote, local, took);
  if (result.canceled) return l10n.t('Download of {0} to {1} canceled after {2}.', remote, local, took);
  return l10n.t('Download of {0} to {1} finished after {2}.', remote, local, took);
}

/** The full summary, for the output channel and the terminal. */
export function summaryLines(result: TransferResult): string[] {
  const up = result.direction === 'upload';
  const rate = result.elapsedMs > 0 ? result.transferred.bytes / (result.elapsedMs / 1000) : 0;
  const lines = [firstLine(result)];
  if (result.fatal) lines.push(l10n.t('  stopped by: {0}', result.fatal.message));
  // Stopped before any file was found (no such folder, no access): counts of nothing say nothing.
  if (result.fatal && result.filesFound === 0 && result.failed.length === 0 && result.notTransferred.length === 0) return lines;
  const nothing = nothingToDo(result);
  const moved = [files(result.transferred.files), formatBytes(result.transferred.bytes), formatBytes(Math.round(rate))] as const;
  if (nothing) lines.push(`  ${nothing}.`);
  else lines.push(up ? l10n.t('  uploaded: {0}, {1} ({2}/s)', ...moved) : l10n.t('  downloaded: {0}, {1} ({2}/s)', ...moved));
  if (result.canceled || result.fatal) {
    const notReached = result.filesFound - result.transferred.files - result.skipped.existing - result.skipped.unchanged - result.failed.length;
    if (notReached > 0) {
      lines.push(result.foundAll
        ? l10n.t('  not reached: {0} (nothing was written for them)', files(notReached))
        : l10n.t('  not reached: {0} found so far (nothing was written for them)', files(notReached)));
    }
  }
  if (result.skipped.unchanged + result.skipped.existing > 0) {
    lines.push(l10n.t('  skipped: {0} unchanged, {1} already there ({2})', count(result.skipped.unchanged), count(result.skipped.existing), formatBytes(result.skipped.bytes)));
  }
  if (up) {
    const ignoredFiles = files(result.ignored.files);
    const ignoredFolders = folders(result.ignored.folders);
    lines.push(result.ignored.rulesFile
      ? l10n.t('  ignored: {0} and {1} (by {2}; .git is always left out)', ignoredFiles, ignoredFolders, result.ignored.rulesFile)
      : l10n.t('  ignored: {0} and {1} (.git is always left out)', ignoredFiles, ignoredFolders));
  }
  if (result.restarted && result.restarted.length > 0) {
    lines.push(l10n.t('  started over: {0}', count(result.restarted.length)));
    lines.push(...listed(result.restarted));
  }
  if (result.emptyFolders > 0) lines.push(l10n.t('  empty folders created: {0}', count(result.emptyFolders)));
  lines.push(l10n.t('  failed: {0}', count(result.failed.length)));
  lines.push(...listed(result.failed));
  if (result.notTransferred.length > 0) {
    lines.push(up ? l10n.t('  not uploaded: {0}', count(result.notTransferred.length)) : l10n.t('  refused: {0}', count(result.notTransferred.length)));
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
  if (progress.secondsLeft !== undefined) parts.push(l10n.t('{0} left', seconds(progress.secondsLeft * 1000)));
  return parts.join(' · ');
}
