import { promises as fs } from 'node:fs';

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `lockFile` for this process so that two services never write the same data folder.
 * A lock left by a process that no longer runs is taken over. Returns the release function.
 */
export async function acquireDirectoryLock(lockFile: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await fs.readFile(lockFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && isProcessAlive(owner)) {
      throw new Error(`The file service data folder is in use by process ${owner} (${lockFile}).`);
    }
    await fs.rm(lockFile, { force: true });
  }
  throw new Error(`Could not lock the file service data folder (${lockFile}).`);
}
