import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { makeDirectory, syncDirectory } from '../durability';
import type { JournalRecord, PersistedState } from './model';

/**
 * Persists the share metadata as a snapshot (`index.json`, replaced atomically by
 * write-then-rename) plus an append-only journal of changes since that snapshot
 * (`journal-<generation>.jsonl`). Appends made while a write is under way are written together
 * (group commit), so many concurrent requests cost few writes and syncs. When the journal grows
 * long it is folded into a new snapshot.
 *
 * Replaying a record twice gives the same state (records carry whole entries), which is what lets
 * records still queued at snapshot time go to the next journal as well.
 *
 * An append resolves only once its line is fdatasynced, so what a request was answered for survives
 * a power cut as well as a kill. A write or sync that fails is cut off the journal again, so the
 * failed records never come back and a torn line never hides later ones; when even that fails the
 * next append first starts a new journal from a snapshot. Snapshots are fsynced before the rename,
 * and the folder after it (which also makes the new journal's name durable).
 */

interface IndexFile extends PersistedState {
  format: 1;
  journalGeneration: number;
}

interface PendingAppend {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const indexFileName = 'index.json';
const defaultCompactAfterRecords = 50_000;

function journalFileName(generation: number): string {
  return `journal-${generation}.jsonl`;
}

async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Parses journal lines; a torn last line (the process stopped mid-write) is dropped. */
function parseJournal(text: string): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      // Only a partially written final line can be invalid; nothing after it was acknowledged.
      break;
    }
  }
  return records;
}

/** Write, fsync, rename, fsync of the folder: resolved, `file` has `text` even after a power cut. */
async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  await syncDirectory(path.dirname(file));
}

export interface LoadedJournal {
  journal: MetadataJournal;
  snapshot: PersistedState;
  records: JournalRecord[];
}

export class MetadataJournal {
  private queue: PendingAppend[] = [];
  private snapshotWaiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private recordsSinceSnapshot = 0;
  private closed = false;
  /** A failed write left bytes after `length` that could not be cut off: the next append starts a new journal. */
  private damaged = false;

  private constructor(
    private readonly dir: string,
    private generation: number,
    private handle: fs.FileHandle,
    /** Bytes of the journal file that hold only whole, synced lines. */
    private length: number,
    private readonly currentState: () => PersistedState,
    private readonly compactAfterRecords: number,
  ) {}

  /**
   * Reads the snapshot and journal under `dir`. The caller rebuilds its state from them and must
   * then call `compact()` so the next start reads one fresh snapshot.
   */
  static async open(
    dir: string, currentState: () => PersistedState, compactAfterRecords = defaultCompactAfterRecords,
  ): Promise<LoadedJournal> {
    await makeDirectory(dir);
    const indexText = await readTextIfExists(path.join(dir, indexFileName));
    const index: IndexFile = indexText
      ? (JSON.parse(indexText) as IndexFile)
      : { format: 1, journalGeneration: 0, shares: [], entries: [] };
    if (index.format !== 1) throw new Error(`Unsupported file service index format in ${dir}.`);
    const journalText = await readTextIfExists(path.join(dir, journalFileName(index.journalGeneration)));
    const records = journalText ? parseJournal(journalText) : [];
    const handle = await fs.open(path.join(dir, journalFileName(index.journalGeneration)), 'a');
    let length: number;
    try {
      length = (await handle.stat()).size;
    } catch (error) {
      await handle.close();
      throw error;
    }
    const journal = new MetadataJournal(dir, index.journalGeneration, handle, length, currentState, compactAfterRecords);
    return { journal, snapshot: { shares: index.shares, entries: index.entries }, records };
  }

  /** Resolves once the record is written to the journal file and synced to the disk. */
  append(record: JournalRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The file service is closing.'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.startFlushing();
    });
  }

  private startFlushing(): void {
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
      // Work queued between the loop's last check and now would otherwise wait forever.
      if (this.queue.length > 0 || this.snapshotWaiters.length > 0) this.startFlushing();
    });
  }

  /** The only writer of the journal handle: appends and snapshots never overlap. */
  private async flush(): Promise<void> {
    while (this.queue.length > 0 || this.snapshotWaiters.length > 0) {
      const batch = this.queue.splice(0);
      if (batch.length > 0) {
        try {
          await this.appendDurably(Buffer.from(batch.map((pending) => pending.line).join(''), 'utf8'));
          batch.forEach((pending) => pending.resolve());
        } catch (error) {
          batch.forEach((pending) => pending.reject(error));
        }
        this.recordsSinceSnapshot += batch.length;
      }
      if (this.recordsSinceSnapshot >= this.compactAfterRecords || this.snapshotWaiters.length > 0) {
        const waiters = this.snapshotWaiters.splice(0);
        try {
          await this.writeSnapshot();
          waiters.forEach((waiter) => waiter.resolve());
        } catch (error) {
          // An automatic snapshot that failed is tried again later; the journal still holds everything.
          if (waiters.length === 0) this.recordsSinceSnapshot = this.compactAfterRecords / 2;
          waiters.forEach((waiter) => waiter.reject(error));
        }
      }
    }
  }

  /** One batch of lines, written and fdatasynced; on failure nothing of it stays in the journal. */
  private async appendDurably(bytes: Buffer): Promise<void> {
    // Bytes a failed write left could not be cut off: go on in a new journal, from a snapshot.
    if (this.damaged) await this.writeSnapshot();
    try {
      await this.handle.appendFile(bytes);
      await this.handle.datasync();
      this.length += bytes.length;
    } catch (error) {
      // The failed request is answered with an error and its change taken back: its records (or a
      // torn line, which would hide every record after it) must not come back on the next start.
      try {
        await this.handle.truncate(this.length);
        await this.handle.datasync();
      } catch {
        this.damaged = true;
      }
      throw error;
    }
  }

  private async writeSnapshot(): Promise<void> {
    const next = this.generation + 1;
    // Open the next journal before the snapshot names it, so appends can never go to a journal
    // that the snapshot already superseded. Taking the state only after this await also lets the
    // changes of a batch that just failed be taken back first (that runs in microtasks).
    const nextHandle = await fs.open(path.join(this.dir, journalFileName(next)), 'w');
    try {
      const index: IndexFile = { format: 1, journalGeneration: next, ...this.currentState() };
      // Also syncs the folder, which makes the new journal's name durable with the snapshot's.
      await writeFileAtomically(path.join(this.dir, indexFileName), JSON.stringify(index));
    } catch (error) {
      await nextHandle.close();
      throw error;
    }
    const previous = this.handle;
    this.handle = nextHandle;
    this.generation = next;
    this.length = 0;
    this.damaged = false;
    this.recordsSinceSnapshot = 0;
    await previous.close();
    await this.removeStaleJournals();
  }

  private async removeStaleJournals(): Promise<void> {
    const current = journalFileName(this.generation);
    for (const name of await fs.readdir(this.dir)) {
      if (/^journal-\d+\.jsonl$/.test(name) && name !== current) await fs.rm(path.join(this.dir, name), { force: true });
    }
  }

  /** Writes queued appends, then folds everything into a fresh snapshot. */
  compact(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.snapshotWaiters.push({ resolve, reject });
      this.startFlushing();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.compact();
    await this.flushing;
    await this.handle.close();
  }
}
