import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

export interface WholeFileOptions {
  mode?: number;
  /** Its bytes are on disk before the file is there (its folder is the caller's to sync). */
  sync?: boolean;
}

async function writeNew(file: string, text: string, options: WholeFileOptions): Promise<void> {
  const handle = await fs.open(file, 'wx', options.mode ?? 0o666);
  try {
    await handle.writeFile(text, 'utf8');
    if (options.sync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `file` holding `text` unless it exists: then answers false and leaves it as it is.
 * Written aside (`<file>.<pid>-<hex>.tmp`) and hard-linked in, so that no reader ever finds it
 * part-written; where the file system has no hard links (FAT, some network shares) it is created
 * in place, still never over another.
 */
export async function createWholeFile(file: string, text: string, options: WholeFileOptions = {}): Promise<boolean> {
  const aside = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeNew(aside, text, options);
  try {
    await fs.link(aside, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
  } finally {
    await fs.rm(aside, { force: true });
  }
  try {
    await writeNew(file, text, options);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
