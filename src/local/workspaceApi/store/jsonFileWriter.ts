import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { makeDirectory, syncDirectory } from '../../durability';

/** One JSON file the writer keeps: what to write, and what to do once that is settled. */
export interface PersistedFile {
  snapshot(): unknown;
  /** What the file holds now (as last written or loaded), to put back when a change is undone. */
  onDiskSnapshot(): unknown;
  /** The text is now durably on disk. */
  written(text: string): void;
  /** Writing failed: go back to what the file on disk holds. */
  rollBack(): void;
}

/** Writing the state failed; `cause` says why (ENOSPC, EROFS, ENOTDIR…). */
export class StateWriteError extends Error {
  constructor(readonly file: string, override readonly cause: Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(`The local workspace could not save the change, so it was not made: writing ${file} failed (${code ?? cause.message}). ` +
      'Check that its data folder is writable and its disk not full, then try again.');
  }
}

/**
 * Writes JSON files durably and atomically (folder made durably, temp file, fsync, rename, fsync of the folder).
 * Changes are scheduled, then written by flush(), which resolves only once everything is on
 * disk. When a write fails, the files of the batch already written get their old content back
 * (best effort), every file of the batch rolls back in memory to what it holds, and flush()
 * rejects: nothing is reported as saved that is not.
 */
export class JsonFileWriter {
  private readonly pending = new Map<string, PersistedFile>();
  private chain: Promise<void> = Promise.resolve();
  private sequence = 0;

  schedule(file: string, target: PersistedFile): void {
    this.pending.set(file, target);
  }

  /** Forgets pending writes of files under `dir` (used when that data is deleted). */
  forgetUnder(dir: string): void {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const file of [...this.pending.keys()]) if (file.startsWith(prefix)) this.pending.delete(file);
  }

  /** Drops the pending changes: their files roll back to what they hold. */
  discard(): void {
    for (const target of this.pending.values()) target.rollBack();
    this.pending.clear();
  }

  /** Writes all pending files; rejects with a StateWriteError when one could not be written. */
  flush(): Promise<void> {
    const batch = [...this.pending.entries()].map(([file, target]) => ({ file, target, text: JSON.stringify(target.snapshot(), null, 1) }));
    this.pending.clear();
    const run = this.chain.then(async () => {
      const done: Array<{ file: string; target: PersistedFile; before: string }> = [];
      for (const { file, target, text } of batch) {
        const before = JSON.stringify(target.onDiskSnapshot(), null, 1);
        try {
          await this.writeDurably(file, text);
        } catch (error) {
          await this.undo(done);
          for (const rest of batch.slice(done.length)) rest.target.rollBack();
          throw new StateWriteError(file, error as Error);
        }
        target.written(text);
        done.push({ file, target, before });
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Puts back what files of a failed batch held; one that cannot be put back keeps its new content, in memory too. */
  private async undo(done: ReadonlyArray<{ file: string; target: PersistedFile; before: string }>): Promise<void> {
    for (const { file, target, before } of [...done].reverse()) {
      try {
        await this.writeDurably(file, before);
      } catch {
        continue;
      }
      target.written(before);
      target.rollBack();
    }
  }

  private async writeDurably(file: string, text: string): Promise<void> {
    const dir = path.dirname(file);
    // A folder made here (a new workspace's) is synced in its parent too, or the file could vanish with it.
    await makeDirectory(dir);
    const temp = `${file}.${process.pid}.${++this.sequence}.tmp`;
    try {
      const handle = await fs.open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
  }
}

export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as T;
}
