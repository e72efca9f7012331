import { promises as fs } from 'node:fs';
import { maskSecrets } from '../../azure/secrets';

/**
 * A record as JSON text for the export. A user's own strings (a job's environment variables, a
 * tag) can hold a connection string or a SAS URL: their secret parts are masked like in logs.
 */
export function exportJson(record: unknown, space?: number): string {
  return JSON.stringify(record, (_key, value: unknown) => (typeof value === 'string' ? maskSecrets(value) : value), space);
}

/**
 * A JSON Lines file written by appending: every `append` reaches the disk (fsync) before it
 * returns, so the size it reports is a safe point to cut back to when an export resumes.
 */
export class JsonLinesFile {
  private constructor(private readonly handle: fs.FileHandle, private bytes: number) {}

  /** Opens `file` for appending, first cutting it back to `keepBytes` (what an earlier run finished). */
  static async open(file: string, keepBytes: number): Promise<JsonLinesFile> {
    const handle = await fs.open(file, 'a+');
    try {
      const { size } = await handle.stat();
      const keep = Math.min(keepBytes, size);
      if (size !== keep) await handle.truncate(keep);
      return new JsonLinesFile(handle, keep);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get size(): number {
    return this.bytes;
  }

  async append(records: readonly unknown[]): Promise<void> {
    if (records.length === 0) return;
    const data = Buffer.from(records.map((record) => `${exportJson(record)}\n`).join(''), 'utf8');
    await this.handle.appendFile(data);
    await this.handle.sync();
    this.bytes += data.length;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
