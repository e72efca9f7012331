import { promises as fs } from 'node:fs';

/** Whether a process with this id runs (EPERM: it does, under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock is held: by `holder`, a process that runs, or (undefined) by one process after another. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(readonly file: string, readonly holder: number | undefined) {
    super(holder === undefined ? `${file} kept being taken by other processes.` : `${file} is held by process ${holder}.`);
  }
}

/**
 * Takes the lock file `file` for this process (it holds our process id), so that two processes
 * never write into the same folder. A lock left by a process that is gone is taken over.
 * Returns the release function; throws LockHeldError while another process holds it.
 */
export async function takePidLockFile(file: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      return () => fs.rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) throw new LockHeldError(file, holder);
    await fs.rm(file, { force: true });
  }
  throw new LockHeldError(file, undefined);
}
