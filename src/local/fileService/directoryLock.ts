import { LockHeldError, takePidLockFile } from '../../core/pidLockFile';

/**
 * Takes `lockFile` for this process so that two services never write the same data folder.
 * A lock left by a process that no longer runs is taken over. Returns the release function.
 */
export async function acquireDirectoryLock(lockFile: string): Promise<() => Promise<void>> {
  try {
    return await takePidLockFile(lockFile);
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    throw new Error(error.holder === undefined
      ? `Could not lock the file service data folder (${lockFile}).`
      : `The file service data folder is in use by process ${error.holder} (${lockFile}).`);
  }
}
