import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResumableParts } from './blobStore';
import type { RemoteStore } from './remoteStore';
import type { TransferOptions } from './transferRun';
import type { ExistingFilePolicy, TransferDirection, TransferResult } from './types';

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

/** A transfer that was interrupted: what is left of it. */
export interface PendingTransfer {
  plan: TransferPlan;
  filesDone: number;
  /** Unknown when it stopped before every file had been found. */
  filesTotal?: number;
}

const planFile = 'plan.json';
const doneFile = 'done.jsonl';
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

function parseRecords(text: string): { done: Map<string, DoneRecord>; total?: number } {
  const done = new Map<string, DoneRecord>();
  let total: number | undefined;
  // The last line may be torn by a crash: a line that does not parse is skipped.
  for (const line of text.split('\n')) {
    if (!line) continue;
    let record: Partial<DoneRecord & TotalRecord>;
    try {
      record = JSON.parse(line) as Partial<DoneRecord & TotalRecord>;
    } catch {
      continue;
    }
    if (typeof record.total === 'number') total = record.total;
    else if (typeof record.p === 'string' && typeof record.s === 'number' && typeof record.t === 'number') {
      done.set(record.p, { p: record.p, s: record.s, t: record.t });
    }
  }
  return total === undefined ? { done } : { done, total };
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
  /** Set by finish(): `canceled` and `unfinished` keep the journal for a resume. */
  outcome: 'complete' | 'canceled' | 'unfinished' | undefined;

  private constructor(
    readonly plan: TransferPlan,
    private readonly dir: string,
    private readonly handle: fs.FileHandle,
    private readonly done: ReadonlyMap<string, DoneRecord>,
    /** Whether this continues an interrupted transfer. */
    readonly resuming: boolean,
  ) {}

  static async start(root: string, plan: NewTransferPlan, now = new Date()): Promise<TransferJournal> {
    const full: TransferPlan = { version: 1, id: newId(now), createdAt: now.toISOString(), ...plan };
    const dir = path.join(transfersDir(root), full.id);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await writeDurably(path.join(dir, planFile), `${JSON.stringify(full, null, 2)}\n`);
    const handle = await fs.open(path.join(dir, doneFile), 'a', 0o600);
    return new TransferJournal(full, dir, handle, new Map(), false);
  }

  /** Opens an interrupted transfer's journal to go on with it. */
  static async resume(root: string, id: string): Promise<TransferJournal> {
    const dir = journalDir(root, id);
    const plan = await readPlan(dir);
    const { done } = parseRecords(await fs.readFile(path.join(dir, doneFile), 'utf8').catch(() => ''));
    const handle = await fs.open(path.join(dir, doneFile), 'a', 0o600);
    return new TransferJournal(plan, dir, handle, done, true);
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

  /**
   * Writes what is left; removes the journal when the transfer has nothing left to do, else keeps
   * it for a resume. A journal that can't be written never fails the transfer itself.
   */
  async finish(result: TransferResult): Promise<void> {
    await this.close();
    const complete = !result.canceled && !result.fatal && result.failed.length === 0 && result.foundAll;
    this.outcome = complete ? 'complete' : result.canceled ? 'canceled' : 'unfinished';
    if (complete) await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** Lets go of the journal without finishing it (it stays for a later resume). */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
    await this.handle.close().catch(() => undefined);
  }

  private append(record: DoneRecord | TotalRecord): void {
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

function journalDir(root: string, id: string): string {
  if (!idShape.test(id)) throw new JournalNotFoundError(id);
  return path.join(transfersDir(root), id);
}

async function readPlan(dir: string): Promise<TransferPlan> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, planFile), 'utf8');
  } catch {
    throw new JournalNotFoundError(path.basename(dir));
  }
  const plan = JSON.parse(text) as TransferPlan;
  if (plan.version !== 1) throw new JournalNotFoundError(path.basename(dir));
  return plan;
}

export class JournalNotFoundError extends Error {
  override readonly name = 'JournalNotFoundError';
  constructor(readonly id: string) {
    super(l10n.t('There is no interrupted transfer "{0}".', id));
  }
}

/** Interrupted transfers under the journal root, newest first. */
export async function pendingTransfers(root: string, direction?: TransferDirection): Promise<PendingTransfer[]> {
  const names = await fs.readdir(transfersDir(root)).catch(() => [] as string[]);
  const found: PendingTransfer[] = [];
  for (const name of names.filter((n) => idShape.test(n))) {
    const dir = path.join(transfersDir(root), name);
    const plan = await readPlan(dir).catch(() => undefined);
    if (!plan || (direction && plan.direction !== direction)) continue;
    const { done, total } = parseRecords(await fs.readFile(path.join(dir, doneFile), 'utf8').catch(() => ''));
    found.push({ plan, filesDone: done.size, ...(total !== undefined ? { filesTotal: total } : {}) });
  }
  return found.sort((a, b) => b.plan.createdAt.localeCompare(a.plan.createdAt));
}

/** Forgets an interrupted transfer (what it already transferred stays where it is). */
export async function discardTransfer(root: string, id: string): Promise<void> {
  await fs.rm(journalDir(root, id), { recursive: true, force: true });
}

/** What the transfer works on, as a user knows it: the local folder (upload) or the remote one (download). */
export function transferSubject(plan: TransferPlan): string {
  return plan.direction === 'upload'
    ? path.basename(plan.localRoot)
    : `${plan.datastore}/${plan.remotePath}`.replace(/\/$/, '');
}

/** "Resume upload of data: 3,412 of 5,000 files left" */
export function resumeSentence(pending: PendingTransfer): string {
  const subject = transferSubject(pending.plan);
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
 * size, mtime), so that a resumed upload finds the blocks it staged before and sends only the others.
 */
export function journalLargeUploads(store: RemoteStore, journal: TransferJournal): void {
  // Only blob containers have staged blocks to find again (journal.ts stays free of the storage SDKs).
  if (store.kind !== 'blob') return;
  const { localRoot, remotePath } = journal.plan;
  const prefix = remotePath ? `${remotePath}/` : '';
  (store as RemoteStore & { resumableParts?: ResumableParts }).resumableParts = {
    reuseStaged: journal.resuming,
    identityOf: async (fullName) => {
      if (!fullName.startsWith(prefix)) return undefined;
      const stats = await fs.stat(path.join(localRoot, ...fullName.slice(prefix.length).split('/'))).catch(() => undefined);
      return stats ? `${stats.size}:${stats.mtimeMs}` : undefined;
    },
  };
}
