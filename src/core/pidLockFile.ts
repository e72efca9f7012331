import { promises as fs } from 'node:fs';
import { createWholeFile } from './wholeFile';

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

/** How long a take waits, all told, while other processes take over a stale lock or write theirs. */
const patienceMs = 5000;
/** Guards of guards (see removeStaleLock) are only needed after a crash inside a guard; this bounds them. */
const maxGuardDepth = 3;
/** A lock file found empty this recently may be one being written (where it can't be linked in whole). */
const writingGraceMs = 5000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock file as found: its text and when it was written (read through one handle, so both are of the same file). */
interface FoundLock {
  text: string;
  mtimeMs: number;
}

async function readLock(file: string): Promise<FoundLock | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { mtimeMs } = await handle.stat();
    return { text: await handle.readFile('utf8'), mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * The id of the process that holds this lock, when it still runs: the one answer every reader of
 * a lock file uses. A lock holds the bare process id, what every version writes and reads. (A pid
 * a later process was given after a crash reads as running: telling them apart needs the
 * holder's start time and boot, which that format can't carry, and the lock's mtime is no
 * substitute, since a wall clock set forward, as a VM's after its host slept, would then make a
 * live holder's lock look stale and be taken over.)
 * An empty lock is one still being written when the file is that young (see createWholeFile).
 */
async function holderRuns(lock: FoundLock): Promise<number | 'writing' | undefined> {
  const text = lock.text.trim();
  if (/^\d+$/.test(text)) {
    const pid = Number(text);
    return Number.isSafeInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : undefined;
  }
  if (text !== '') return undefined;
  return Date.now() - lock.mtimeMs < writingGraceMs ? 'writing' : undefined;
}

/**
 * The id of the process that holds lock `file` and still runs; undefined when none does (no lock,
 * or one left by a process that has ended).
 */
export async function runningLockHolder(file: string): Promise<number | undefined> {
  const lock = await readLock(file).catch(() => undefined);
  if (lock === undefined) return undefined;
  const holder = await holderRuns(lock);
  return typeof holder === 'number' ? holder : undefined;
}

/**
 * What tells the lock file we created from one created after it: its inode, and its mtime, since
 * a removed file's inode number may go to the next file created. Undefined where inodes can't be
 * relied on (Windows, or a file system that gives none): there the lock's text tells.
 */
interface LockIdentity {
  dev: bigint;
  ino: bigint;
  mtimeNs: bigint;
}

async function identityOf(file: string): Promise<LockIdentity | undefined> {
  const stats = await fs.stat(file, { bigint: true }).catch(() => undefined);
  if (!stats || process.platform === 'win32' || stats.ino === 0n) return undefined;
  return { dev: stats.dev, ino: stats.ino, mtimeNs: stats.mtimeNs };
}

/**
 * Removes the lock `file` we took, if it still is ours. Had it been deleted (by hand, say) and
 * taken by another process meanwhile, the file there now is that one's: removing it would let a
 * third process in beside the two of us. Best effort: a takeover between this look and the rm
 * can't be ruled out.
 */
async function releaseLock(file: string, text: string, ours: LockIdentity | undefined): Promise<void> {
  if (ours === undefined) {
    if ((await readLock(file).catch(() => undefined))?.text !== text) return;
  } else {
    const found = await identityOf(file);
    if (found?.dev !== ours.dev || found.ino !== ours.ino || found.mtimeNs !== ours.mtimeNs) return;
  }
  await fs.rm(file, { force: true });
}


/**
 * Removes the stale lock `file` if it still is stale. Answers false when another process is
 * taking it over right now (try again shortly).
 *
 * Why two processes can't both take it over: a lock is only ever created where none is (an
 * exclusive link or 'wx' create), and only ever removed by its holder (release) or here, under
 * the guard `<file>.takeover`, itself such a lock. Holding the guard, nothing but a live holder's
 * release can change `file` between our look at it and our rm: nobody else may remove it, and
 * nobody can create one while it is there. So a lock we found stale under the guard is still the
 * one we remove, never one another process just took. A guard left by a crash is taken over the
 * same way, under `<file>.takeover.takeover`.
 */
async function removeStaleLock(file: string, depth: number): Promise<boolean> {
  if (depth >= maxGuardDepth) return false;
  let releaseGuard: () => Promise<void>;
  try {
    releaseGuard = await takeLock(`${file}.takeover`, depth + 1);
  } catch (error) {
    if (error instanceof LockHeldError) return false;
    throw error;
  }
  try {
    const lock = await readLock(file);
    if (lock === undefined) return true;
    const holder = await holderRuns(lock);
    if (holder === 'writing') return false;
    if (holder === undefined) await fs.rm(file, { force: true });
    return true;
  } finally {
    await releaseGuard();
  }
}

async function takeLock(file: string, depth: number): Promise<() => Promise<void>> {
  const text = String(process.pid);
  const deadline = Date.now() + patienceMs;
  do {
    if (await createWholeFile(file, text)) {
      const ours = await identityOf(file);
      return () => releaseLock(file, text, ours);
    }
    const found = await readLock(file);
    if (found === undefined) continue;
    const holder = await holderRuns(found);
    if (typeof holder === 'number') throw new LockHeldError(file, holder);
    if (holder === undefined && await removeStaleLock(file, depth)) continue;
    await sleep(10 + Math.random() * 40);
  } while (Date.now() < deadline);
  throw new LockHeldError(file, undefined);
}

/**
 * Takes the lock file `file` for this process (it holds our process id, as versions before wrote
 * and read it), so that two processes never write into the same folder. A lock left by a process
 * that is gone is taken over. Returns the release
 * function (it removes the lock only if it still is ours); throws LockHeldError while another
 * process holds it.
 */
export function takePidLockFile(file: string): Promise<() => Promise<void>> {
  return takeLock(file, 0);
}
