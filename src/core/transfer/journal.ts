import * as l10n from '@vscode/l10n';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockHeldError, runningLockHolder, takePidLockFile } from '../pidLockFile';
import type { ResumableParts } from './blobStore';
import type { RemoteStore } from './remoteStore';
import type { ResumableRanges } from './shareStore';
import type { TransferOptions } from './transferRun';
import { existingFilePolicies, type ExistingFilePolicy, type TransferDirection, type TransferResult } from './types';

/**
 * What a transfer set out to do: enough to start it again, and names only (never a SAS, key or
 * token: those are asked for afresh when it resumes).
 */
export interface TransferPlan {
  version: 1;
  id: string;
  direction: TransferDirection;
  createdAt: string;
  /** The workspace, by name (`local`, or `<subscription>/<resource group>/<workspace>`). */
  workspace: string;
  datastore: string;
  /** The folder inside the datastore. */
  remotePath: string;
  localRoot: string;
  /** The entries of `localRoot` picked (an upload of a selection). */
  entries?: string[];
  policy: ExistingFilePolicy;
}

export type NewTransferPlan = Omit<TransferPlan, 'version' | 'id' | 'createdAt'>;

/** A file known done: its relative path, and the size and mtime of the local file it was (or became). */
interface DoneRecord { p: string; s: number; t: number }
/** Written once every file of the transfer has been found. */
interface TotalRecord { total: number }
/**
 * A range of a large file confirmed: written and fsynced into the download's temporary file, or
 * answered by Put Range in a file share upload's temporary file. `v` is the version of the file it
 * belongs to (the remote ETag, last-modified and length; or the local size and mtime); `h` the
 * range's MD5 (base64), to check what is on disk before it is reused.
 */
interface RangeRecord { r: string; v: string; o: number; n: number; h?: string }
/** A file share upload names its temporary files with this tag: written before the first one is created. */
interface TemporariesRecord { tmp: string }

type JournalRecord = DoneRecord | TotalRecord | RangeRecord | TemporariesRecord;

/** The ranges of one file confirmed by an interrupted run, for one version of it. */
export interface ConfirmedRanges {
  version: string;
  ranges: Array<{ offset: number; length: number; md5?: string }>;
}

/** A transfer that was interrupted: what is left of it. */
export interface PendingTransfer {
  plan: TransferPlan;
  filesDone: number;
  /** Unknown when it stopped before every file had been found. */
  filesTotal?: number;
  /** Why its journal can't be resumed (its record of the files done can't be read): a resume is refused, saying so. */
  damaged?: string;
}

/**
 * An interrupted transfer whose plan can't be read (cut off, not JSON, or edited into something
 * this version never writes): nothing is known of it but its id, so it can only be discarded.
 */
export interface DamagedJournal {
  id: string;
  /** When it started, as its id says (ISO, to the second). */
  startedAt: string;
  /** What is wrong with its plan. */
  reason: string;
  /** Its folder. */
  dir: string;
}

/** Interrupted transfers under a journal root, newest first; not those a process runs now. */
export interface InterruptedTransfers {
  pending: PendingTransfer[];
  /** Those whose plan can't be read. */
  damaged: DamagedJournal[];
}

const planFile = 'plan.json';
const doneFile = 'done.jsonl';
/** Holds the id of the process running the transfer: another window or CLI must not run it too. */
const runningFile = 'running.lock';
/** Done records written at once: a crash loses at most these (they are then checked again, not trusted). */
const batchRecords = 200;
const batchDelayMs = 500;

/**
 * Where the CLI keeps its transfer journals: `$XDG_STATE_HOME/azml`, else `~/.local/state/azml`.
 * (The extension keeps them in its global storage.)
 */
export function cliJournalRoot(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'] || path.join(os.homedir(), '.local', 'state');
  return path.join(state, 'azml');
}

function transfersDir(root: string): string {
  return path.join(root, 'transfers');
}

/** A journal id is ours only in this shape, so an id typed by a user can't name a path elsewhere. */
const idShape = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

function newId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(4).toString('hex')}`;
}

async function writeDurably(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await fs.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, file);
}

interface ParsedRecords {
  done: Map<string, DoneRecord>;
  total?: number;
  ranges: Map<string, ConfirmedRanges>;
  temporaries?: string;
}

function parseRecord(parsed: ParsedRecords, line: string): void {
  // The last line may be torn by a crash: a line that does not parse is skipped.
  if (!line) return;
  let record: Partial<DoneRecord & TotalRecord & RangeRecord & TemporariesRecord> | null;
  try {
    record = JSON.parse(line) as typeof record;
  } catch {
    return;
  }
  if (typeof record !== 'object' || record === null) return;
  if (typeof record.total === 'number') parsed.total = record.total;
  else if (typeof record.tmp === 'string') parsed.temporaries = record.tmp;
  else if (typeof record.p === 'string' && typeof record.s === 'number' && typeof record.t === 'number') {
    parsed.done.set(record.p, { p: record.p, s: record.s, t: record.t });
  } else if (typeof record.r === 'string' && typeof record.v === 'string' && typeof record.o === 'number' && typeof record.n === 'number') {
    // Ranges of an older version of the file no longer count.
    let file = parsed.ranges.get(record.r);
    if (file?.version !== record.v) parsed.ranges.set(record.r, file = { version: record.v, ranges: [] });
    file.ranges.push({ offset: record.o, length: record.n, ...(typeof record.h === 'string' ? { md5: record.h } : {}) });
  }
}

/**
 * The records of a journal, read a chunk at a time (a long journal is never one string). None
 * when the file is not there (a run killed before it made it); any other error is thrown as a
 * damaged journal: taken for "nothing done", it would have a resume redo (or overwrite) it all.
 */
async function readRecords(dir: string): Promise<ParsedRecords> {
  const parsed: ParsedRecords = { done: new Map(), ranges: new Map() };
  try {
    let rest = '';
    for await (const chunk of createReadStream(path.join(dir, doneFile), { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
      const lines = (rest + (chunk as string)).split('\n');
      rest = lines.pop()!;
      for (const line of lines) parseRecord(parsed, line);
    }
    parseRecord(parsed, rest);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { done: new Map(), ranges: new Map() };
    throw new JournalDamagedError(path.basename(dir), dir,
      l10n.t('its record of the files done can\'t be read: {0}', (error as Error).message));
  }
  return parsed;
}

/**
 * The journal of one upload or download: a folder under the journal root with the plan and an
 * append-only list of the files done, written in batches (fsynced). Removed when the transfer
 * finishes with nothing left to do; kept after a cancel, a failure or a crash, so the transfer
 * can resume: files done (and unchanged since) are not sent again.
 */
export class TransferJournal {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Whether the running lock was let go (see release). */
  private released = false;
  /** Set by finish(): `canceled` and `unfinished` keep the journal for a resume. */
  outcome: 'complete' | 'canceled' | 'unfinished' | undefined;

  private constructor(
    readonly plan: TransferPlan,
    private readonly dir: string,
    private readonly handle: fs.FileHandle,
    private readonly releaseRunning: () => Promise<void>,
    private readonly done: ReadonlyMap<string, DoneRecord>,
    /** Whether this continues an interrupted transfer. */
    readonly resuming: boolean,
    private readonly ranges: ReadonlyMap<string, ConfirmedRanges> = new Map(),
    temporariesRecorded = false,
  ) {
    if (temporariesRecorded) this.temporariesWritten = Promise.resolve();
  }

  private temporariesWritten: Promise<void> | undefined;

  static async start(root: string, plan: NewTransferPlan, now = new Date()): Promise<TransferJournal> {
    const full: TransferPlan = { version: 1, id: newId(now), createdAt: now.toISOString(), ...plan };
    const dir = path.join(transfersDir(root), full.id);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const releaseRunning = await takePidLockFile(path.join(dir, runningFile));
    await writeDurably(path.join(dir, planFile), `${JSON.stringify(full, null, 2)}\n`);
    const handle = await fs.open(path.join(dir, doneFile), 'a', 0o600);
    return new TransferJournal(full, dir, handle, releaseRunning, new Map(), false);
  }

  /**
   * Opens an interrupted transfer's journal to go on with it. Throws TransferRunningError while
   * another run of it (another window, another `azml`) goes on: two would overwrite each other's
   * temporary files.
   */
  static async resume(root: string, id: string): Promise<TransferJournal> {
    const dir = journalDir(root, id);
    const plan = await readPlan(dir);
    const releaseRunning = await takeRunning(dir, id);
    try {
      const { done, ranges, temporaries } = await readRecords(dir);
      const handle = await fs.open(path.join(dir, doneFile), 'a', 0o600);
      return new TransferJournal(plan, dir, handle, releaseRunning, done, true, ranges, temporaries !== undefined);
    } catch (error) {
      await releaseRunning();
      throw error;
    }
  }

  /** Whether this file was done by the interrupted run and has not changed since (same size and mtime). */
  isDone(relativePath: string, size: number, mtimeMs: number): boolean {
    const record = this.done.get(relativePath);
    return record !== undefined && record.s === size && record.t === mtimeMs;
  }

  fileDone(relativePath: string, size: number, mtimeMs: number): void {
    this.append({ p: relativePath, s: size, t: mtimeMs });
  }

  allFound(total: number): void {
    this.append({ total });
  }

  /** The ranges of a large file that the interrupted run confirmed (each for the version it had then). */
  confirmedRanges(relativePath: string): ConfirmedRanges | undefined {
    return this.resuming ? this.ranges.get(relativePath) : undefined;
  }

  /** Records a range of a large file as confirmed; call it only once the range is durable where it went. */
  rangeDone(relativePath: string, version: string, offset: number, length: number, md5?: string): void {
    this.append({ r: relativePath, v: version, o: offset, n: length, ...(md5 !== undefined ? { h: md5 } : {}) });
  }

  /** What this transfer's temporary files in a file share are named with (see temporaryName). */
  get temporaryTag(): string {
    return temporaryTagOf(this.plan.id);
  }

  /**
   * 24 hex digits: the same temporary name for a file on every run of this transfer, so a resume
   * finds what a killed run left; the tag first, so a discard finds them all.
   */
  temporaryName(fullName: string): string {
    return `${this.temporaryTag}${createHash('sha256').update(`${this.plan.id}\n${fullName}`).digest('hex').slice(0, 16)}`;
  }

  /**
   * Records, durably and before the first one is created, that this transfer makes temporary
   * files in a file share: a discard then knows to remove what a killed run left there.
   */
  temporariesAhead(): Promise<void> {
    this.temporariesWritten ??= (() => {
      this.append({ tmp: this.temporaryTag });
      this.flush();
      return this.writing;
    })();
    return this.temporariesWritten;
  }

  /** Whether this transfer made (or may have made) temporary files in a file share. */
  get madeTemporaries(): boolean {
    return this.temporariesWritten !== undefined;
  }

  /**
   * Writes what is left; removes the journal when the transfer has nothing left to do, else keeps
   * it for a resume. A journal that can't be written never fails the transfer itself.
   */
  async finish(result: TransferResult): Promise<void> {
    await this.stopWriting();
    const complete = transferComplete(result);
    this.outcome = complete ? 'complete' : result.canceled ? 'canceled' : 'unfinished';
    // Removed while still held, so no one finds it unheld and resumes it meanwhile.
    if (complete) await fs.rm(this.dir, { recursive: true, force: true });
    await this.release();
  }

  /** Lets go of the journal without finishing it (it stays for a later resume). Once is enough. */
  async close(): Promise<void> {
    await this.stopWriting();
    await this.release();
  }

  /** Once only: after that the lock may be another process's. */
  private async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.releaseRunning().catch(() => undefined);
  }

  private async stopWriting(): Promise<void> {
    this.flush();
    await this.writing;
    await this.handle.close().catch(() => undefined);
  }

  private append(record: JournalRecord): void {
    this.pending.push(JSON.stringify(record));
    if (this.pending.length >= batchRecords) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), batchDelayMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      await this.handle.write(text);
      await this.handle.datasync();
    }).catch(() => {
      // A record that could not be written only means a resume checks or sends that file again.
    });
  }
}

/** Whether a transfer has nothing left to do. */
export function transferComplete(result: TransferResult): boolean {
  return !result.canceled && !result.fatal && result.failed.length === 0 && result.foundAll;
}

function temporaryTagOf(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 8);
}

/**
 * The tag of the temporary files an interrupted transfer may have left in a file share, or
 * undefined when it made none.
 */
export async function shareTemporariesOf(root: string, id: string): Promise<string | undefined> {
  const dir = journalDir(root, id);
  try {
    return (await readRecords(dir)).temporaries;
  } catch (error) {
    if (!(error instanceof JournalDamagedError)) throw error;
    // Its records can't say whether it made any: an upload may have (looking for them costs a listing), a download never does.
    return (await readPlan(dir)).direction === 'upload' ? temporaryTagOf(id) : undefined;
  }
}

function journalDir(root: string, id: string): string {
  if (!idShape.test(id)) throw new JournalNotFoundError(id);
  return path.join(transfersDir(root), id);
}

const directions: readonly TransferDirection[] = ['upload', 'download'];

/**
 * What is wrong with a plan read from disk (hand-edited, or damaged), or undefined when it is a
 * plan this version writes. A resume does what its plan says, so nothing is taken for granted:
 * a missing or unknown policy must never act as "overwrite".
 */
function planProblem(value: unknown, id: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return l10n.t('its plan is not a transfer plan');
  const plan = value as Partial<Record<keyof TransferPlan, unknown>>;
  const invalid = (field: string): string => l10n.t('"{0}" in its plan is missing or invalid', field);
  if (plan.version !== 1) return invalid('version');
  if (plan.id !== id) return invalid('id');
  if (!directions.includes(plan.direction as TransferDirection)) return invalid('direction');
  if (!existingFilePolicies.includes(plan.policy as ExistingFilePolicy)) return invalid('policy');
  if (typeof plan.localRoot !== 'string' || !path.isAbsolute(plan.localRoot)) return invalid('localRoot');
  for (const field of ['createdAt', 'workspace', 'datastore', 'remotePath'] as const) {
    if (typeof plan[field] !== 'string') return invalid(field);
  }
  if (plan.entries !== undefined && (!Array.isArray(plan.entries) || !plan.entries.every((entry) => typeof entry === 'string'))) return invalid('entries');
  return undefined;
}

async function readPlan(dir: string): Promise<TransferPlan> {
  const id = path.basename(dir);
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, planFile), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new JournalNotFoundError(id);
    throw new JournalDamagedError(id, dir, l10n.t('its plan can\'t be read: {0}', (error as Error).message));
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    throw new JournalDamagedError(id, dir, l10n.t('its plan is cut off or is not JSON'));
  }
  const problem = planProblem(plan, id);
  if (problem) throw new JournalDamagedError(id, dir, problem);
  return plan as TransferPlan;
}

/** "Transfer {id} is running now (process {pid}): …" */
export function transferRunningMessage(id: string, holder: number | undefined): string {
  return holder === undefined
    ? l10n.t('Transfer {0} is running now: let it finish, or cancel it where it runs.', id)
    : l10n.t('Transfer {0} is running now (process {1}): let it finish, or cancel it where it runs.', id, holder);
}

/** Another process runs this transfer now (it is not interrupted). */
export class TransferRunningError extends Error {
  override readonly name = 'TransferRunningError';
  constructor(readonly id: string, readonly holder: number | undefined) {
    super(transferRunningMessage(id, holder));
  }
}

async function takeRunning(dir: string, id: string): Promise<() => Promise<void>> {
  try {
    return await takePidLockFile(path.join(dir, runningFile));
  } catch (error) {
    if (error instanceof LockHeldError) throw new TransferRunningError(id, error.holder);
    throw error;
  }
}

/** The process that runs this transfer now, if one does. */
function runningIn(dir: string): Promise<number | undefined> {
  return runningLockHolder(path.join(dir, runningFile));
}

/** The process running transfer `id` now, or undefined when none does (it is interrupted, or gone). */
export async function transferRunningIn(root: string, id: string): Promise<number | undefined> {
  return runningIn(journalDir(root, id));
}

export class JournalNotFoundError extends Error {
  override readonly name = 'JournalNotFoundError';
  constructor(readonly id: string) {
    super(l10n.t('There is no interrupted transfer "{0}".', id));
  }
}

/**
 * A journal that can't be trusted (its plan or its record of the files done can't be read, or
 * was edited into something this version never writes): refused, never guessed at.
 */
export class JournalDamagedError extends Error {
  override readonly name = 'JournalDamagedError';
  constructor(readonly id: string, readonly dir: string, readonly reason: string) {
    super(l10n.t('The journal of transfer {0} is damaged ({1}): it can\'t be resumed. Discard it, or delete its folder {2}.', id, reason, dir));
  }
}

/** Interrupted transfers under the journal root, newest first (not those a process runs now). */
export async function pendingTransfers(root: string, direction?: TransferDirection): Promise<PendingTransfer[]> {
  const { pending } = await interruptedTransfers(root);
  return direction ? pending.filter((p) => p.plan.direction === direction) : pending;
}

/**
 * Every interrupted transfer under the journal root, those whose plan can't be read apart: they
 * are listed so they can be discarded (left out, their folders would stay forever, unseen).
 */
export async function interruptedTransfers(root: string): Promise<InterruptedTransfers> {
  const names = await fs.readdir(transfersDir(root)).catch(() => [] as string[]);
  const pending: PendingTransfer[] = [];
  const damaged: DamagedJournal[] = [];
  for (const name of names.filter((n) => idShape.test(n))) {
    const dir = path.join(transfersDir(root), name);
    let plan: TransferPlan;
    try {
      plan = await readPlan(dir);
    } catch (error) {
      // A missing plan is skipped: a journal being started, or removed, has none for a moment.
      if (error instanceof JournalDamagedError && await runningIn(dir) === undefined) {
        damaged.push({ id: name, startedAt: startedAtOf(name), reason: error.reason, dir });
      }
      continue;
    }
    if (await runningIn(dir) !== undefined) continue;
    let records: ParsedRecords;
    try {
      records = await readRecords(dir);
    } catch (error) {
      // Listed, saying why it can't be resumed (a resume refuses it): not offered as "nothing done yet".
      pending.push({ plan, filesDone: 0, damaged: error instanceof JournalDamagedError ? error.reason : String(error) });
      continue;
    }
    const { done, total } = records;
    pending.push({ plan, filesDone: done.size, ...(total !== undefined ? { filesTotal: total } : {}) });
  }
  return {
    pending: pending.sort((a, b) => b.plan.createdAt.localeCompare(a.plan.createdAt)),
    damaged: damaged.sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
  };
}

/** `20250102T030405Z-…` started at 2025-01-02T03:04:05Z. */
function startedAtOf(id: string): string {
  return id.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-.*$/, '$1-$2-$3T$4:$5:$6Z');
}

/**
 * Forgets an interrupted transfer (what it already transferred stays where it is); a download's
 * partly fetched large files (kept for a resume) are removed. A file share upload's temporary
 * files are removed before this, with the datastore (see removeTemporariesLeft).
 */
export async function discardTransfer(root: string, id: string): Promise<void> {
  const dir = journalDir(root, id);
  if (!(await fs.stat(dir).then((stats) => stats.isDirectory(), () => false))) return;
  // Held until the folder is gone, so no run of it starts meanwhile; throws while one runs.
  await takeRunning(dir, id);
  const plan = await readPlan(dir).catch(() => undefined);
  if (plan?.direction === 'download') await removeDownloadTemporaries(plan.localRoot, temporaryTagOf(id));
  await fs.rm(dir, { recursive: true, force: true });
}

/**
 * Said once a journal whose plan can't be read is discarded: its temporary files (a download's
 * partly fetched files, a file share upload's) carry its tag, but only its plan said where they are.
 */
export function discardedDamagedMessage(id: string): string {
  const tag = temporaryTagOf(id);
  // The prefixes of downloadFolder's and shareStore's temporary files (this module stays free of the storage SDKs).
  return l10n.t('Discarded transfer {0}. Its plan could not be read, so temporary files it may have left were not removed: look for files named {1}… in the folder it downloaded to, or {2}… in the file share folder it uploaded to.',
    id, `.azml-download-${tag}`, `.azml-upload-${tag}`);
}

/** The `.azml-download-…` files of one journaled download (named with its tag) below its local folder. */
async function removeDownloadTemporaries(localRoot: string, tag: string): Promise<void> {
  const name = new RegExp(`^\\.azml-download-${tag}[0-9a-f]{16}$`);
  // Walked, not listed whole: a folder of millions of files would otherwise be one array in memory.
  const entries = await fs.opendir(localRoot, { recursive: true }).catch(() => undefined);
  if (!entries) return;
  for await (const entry of entries) {
    if (entry.isFile() && name.test(entry.name)) await fs.rm(path.join(entry.parentPath, entry.name), { force: true });
  }
}

/** What the transfer works on, as a user knows it: the local folder (upload) or the remote one (download). */
export function transferSubject(plan: TransferPlan): string {
  return plan.direction === 'upload'
    ? path.basename(plan.localRoot)
    : `${plan.datastore}/${plan.remotePath}`.replace(/\/$/, '');
}

/** "Resume upload of data: 3,412 of 5,000 files left"; for a damaged journal, that it can only be discarded. */
export function resumeSentence(pending: PendingTransfer): string {
  const subject = transferSubject(pending.plan);
  if (pending.damaged !== undefined) {
    return pending.plan.direction === 'upload'
      ? l10n.t('The upload of {0} can\'t be resumed: its journal is damaged ({1}). Discard it.', subject, pending.damaged)
      : l10n.t('The download of {0} can\'t be resumed: its journal is damaged ({1}). Discard it.', subject, pending.damaged);
  }
  const count = (n: number): string => n.toLocaleString('en-US');
  if (pending.filesTotal === undefined) {
    return pending.plan.direction === 'upload'
      ? l10n.t('Resume upload of {0}: {1} files done so far', subject, count(pending.filesDone))
      : l10n.t('Resume download of {0}: {1} files done so far', subject, count(pending.filesDone));
  }
  const left = count(Math.max(0, pending.filesTotal - pending.filesDone));
  return pending.plan.direction === 'upload'
    ? l10n.t('Resume upload of {0}: {1} of {2} files left', subject, left, count(pending.filesTotal))
    : l10n.t('Resume download of {0}: {1} of {2} files left', subject, left, count(pending.filesTotal));
}

/** The transfer's options, with the total number of files recorded in the journal once it is known. */
export function journaledOptions(journal: TransferJournal, options: TransferOptions): TransferOptions {
  let totalRecorded = false;
  return {
    ...options,
    onProgress: (progress) => {
      if (!totalRecorded && progress.filesTotal !== undefined) {
        totalRecorded = true;
        journal.allFound(progress.filesTotal);
      }
      options.onProgress?.(progress);
    },
  };
}

/**
 * Gives a blob container's large uploads block ids made from the local file's identity (name,
 * size, mtime), so that a resumed upload finds the blocks it staged before and sends only the
 * others; and a file share's uploads temporary names of their own and the ranges confirmed.
 */
export function journalLargeUploads(store: RemoteStore, journal: TransferJournal): void {
  const { localRoot, remotePath } = journal.plan;
  const prefix = remotePath ? `${remotePath}/` : '';
  const relative = (fullName: string): string | undefined => (fullName.startsWith(prefix) ? fullName.slice(prefix.length) : undefined);
  const identityOf = async (fullName: string): Promise<string | undefined> => {
    const name = relative(fullName);
    if (name === undefined) return undefined;
    const stats = await fs.stat(path.join(localRoot, ...name.split('/'))).catch(() => undefined);
    return stats ? `${stats.size}:${stats.mtimeMs}` : undefined;
  };
  // journal.ts stays free of the storage SDKs: the stores are reached through these hooks.
  if (store.kind === 'blob') {
    (store as RemoteStore & { resumableParts?: ResumableParts }).resumableParts = { reuseStaged: journal.resuming, identityOf };
    return;
  }
  (store as RemoteStore & { resumableRanges?: ResumableRanges }).resumableRanges = {
    temporaryName: (fullName) => journal.temporaryName(fullName),
    beforeFirstTemporary: () => journal.temporariesAhead(),
    versionOf: identityOf,
    confirmed: (fullName, version) => {
      const confirmed = journal.confirmedRanges(relative(fullName) ?? fullName);
      return confirmed?.version === version ? confirmed.ranges : [];
    },
    rangeDone: (fullName, version, offset, length) => journal.rangeDone(relative(fullName) ?? fullName, version, offset, length),
  };
}
