import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Makes the names created, renamed or removed in `dir` durable (fsync of the folder). Windows
 * cannot open a folder for this; NTFS journals those changes itself.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `mkdir -p` whose result survives a power cut: the folder's name, and each it made above it, is synced in its parent. */
export async function makeDirectory(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const firstMade = await fs.mkdir(target, { recursive: true });
  // `dir`'s own name is synced even when it was there already: the run that made it may have stopped first.
  const top = path.resolve(firstMade ?? target);
  for (let current = target; ; current = path.dirname(current)) {
    await syncDirectory(path.dirname(current));
    if (current === top || path.dirname(current) === current) return;
  }
}
