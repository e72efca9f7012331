import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes JSON files atomically (temp file, then rename), batching bursts of changes: a
 * file is written at most once per `delayMs` with its latest content. flush() writes
 * everything pending now.
 */
export class JsonFileWriter {
  private readonly pending = new Map<string, () => unknown>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private sequence = 0;

  constructor(private readonly delayMs = 20) {}

  schedule(file: string, snapshot: () => unknown): void {
    this.pending.set(file, snapshot);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.delayMs);
      this.timer.unref();
    }
  }

  /** Forgets pending writes of files under `dir` (used when that data is deleted). */
  forgetUnder(dir: string): void {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const file of [...this.pending.keys()]) if (file.startsWith(prefix)) this.pending.delete(file);
  }

  /** Writes all pending files; rejects if any write since the last flush failed. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = [...this.pending.entries()].map(([file, snapshot]) => [file, JSON.stringify(snapshot(), null, 1)] as const);
    this.pending.clear();
    this.chain = this.chain.then(async () => {
      for (const [file, text] of batch) {
        try {
          await this.writeAtomically(file, text);
        } catch (error) {
          this.failure = error as Error;
        }
      }
    });
    return this.chain.then(() => {
      const failure = this.failure;
      this.failure = undefined;
      if (failure) throw failure;
    });
  }

  private async writeAtomically(file: string, text: string): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${++this.sequence}.tmp`;
    await fs.writeFile(temp, text, { mode: 0o600 });
    await fs.rename(temp, file);
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
