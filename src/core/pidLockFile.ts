import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { asProcessInstance, isInstanceRunning, processInstance, type ProcessInstance } from './processInstance';

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

/**
 * The process that a lock's text names: JSON `{pid, startedAt?, bootId?}`, or the bare process id
 * that versions before it wrote. Undefined when it names none.
 */
function parseHolder(text: string): ProcessInstance | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return asProcessInstance({ pid: Number(trimmed) });
  try {
    return asProcessInstance(JSON.parse(trimmed));
  } catch {
    return undefined;
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Whether this lock text's holder still runs: the one answer every reader of a lock file uses.
 * An empty text is a lock still being written when the file is that young (see createLock).
 */
async function holderRuns(file: string, text: string): Promise<ProcessInstance | 'writing' | undefined> {
  const holder = parseHolder(text);
  if (holder) return await isInstanceRunning(holder) ? holder : undefined;
  if (text.trim() !== '') return undefined;
  const stats = await fs.stat(file).catch(() => undefined);
  return stats && Date.now() - stats.mtimeMs < writingGraceMs ? 'writing' : undefined;
}

/**
 * The id of the process that holds lock `file` and still runs; undefined when none does (no lock,
 * or one left by a process that has ended or whose id a later process was given).
 */
export async function runningLockHolder(file: string): Promise<number | undefined> {
  const text = await readText(file).catch(() => undefined);
  if (text === undefined) return undefined;
  const holder = await holderRuns(file, text);
  return holder === undefined || holder === 'writing' ? undefined : holder.pid;
}

/**
 * Creates `file` holding `text` unless it exists (then answers false). Written aside and hard-linked
 * in, so that no reader ever finds it empty; where the file system has no hard links (FAT, some
 * network shares) it is created in place, and an empty lock gets writingGraceMs before it counts as stale.
 */
async function createLock(file: string, text: string): Promise<boolean> {
  const aside = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(aside, text, { flag: 'wx' });
  try {
    await fs.link(aside, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
  } finally {
    await fs.rm(aside, { force: true });
  }
  try {
    await fs.writeFile(file, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
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
    const text = await readText(file);
    if (text === undefined) return true;
    const holder = await holderRuns(file, text);
    if (holder === 'writing') return false;
    if (holder === undefined) await fs.rm(file, { force: true });
    return true;
  } finally {
    await releaseGuard();
  }
}

async function takeLock(file: string, depth: number): Promise<() => Promise<void>> {
  const text = JSON.stringify(await processInstance());
  const deadline = Date.now() + patienceMs;
  do {
    if (await createLock(file, text)) return () => fs.rm(file, { force: true });
    const found = await readText(file);
    if (found === undefined) continue;
    const holder = await holderRuns(file, found);
    if (holder !== undefined && holder !== 'writing') throw new LockHeldError(file, holder.pid);
    if (holder === undefined && await removeStaleLock(file, depth)) continue;
    await sleep(10 + Math.random() * 40);
  } while (Date.now() < deadline);
  throw new LockHeldError(file, undefined);
}

/**
 * Takes the lock file `file` for this process (it names this process: its id, and on Linux its
 * start time and boot), so that two processes never write into the same folder. A lock left by
 * a process that is gone, or whose id a later process was given, is taken over.
 * Returns the release function; throws LockHeldError while another process holds it.
 */
export function takePidLockFile(file: string): Promise<() => Promise<void>> {
  return takeLock(file, 0);
}
