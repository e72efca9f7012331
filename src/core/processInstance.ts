import { promises as fs } from 'node:fs';

/**
 * One run of a process: its id, and on Linux what tells it from a later process given the same
 * id (after a crash or a reboot): its start time, in clock ticks since boot (field 22 of
 * /proc/<pid>/stat), and the boot it started in. Elsewhere Node offers no cheap way to learn
 * another process's start time, so there only the id is kept and checked.
 */
export interface ProcessInstance {
  pid: number;
  startedAt?: number;
  bootId?: string;
}

/** Whether a process with this id runs (EPERM: it does, under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const onLinux = process.platform === 'linux';
let bootIdRead: Promise<string | undefined> | undefined;

function currentBootId(): Promise<string | undefined> {
  bootIdRead ??= onLinux
    ? fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((text) => text.trim() || undefined, () => undefined)
    : Promise.resolve(undefined);
  return bootIdRead;
}

/** The start time of process `pid` in clock ticks since boot; 'gone' when it has exited; undefined when it can't be read. */
async function startTicksOf(pid: number): Promise<number | 'gone' | undefined> {
  if (!onLinux) return undefined;
  let stat: string;
  try {
    stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  // "<pid> (<name>) <state> …": the name may hold spaces and parentheses; field 3 (state) follows its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[22 - 3]);
  return Number.isSafeInteger(ticks) && ticks >= 0 ? ticks : undefined;
}

/** This run of process `pid` (by default, this process), with what tells it from a later one of the same id where that can be learnt. */
export async function processInstance(pid: number = process.pid): Promise<ProcessInstance> {
  const [startedAt, bootId] = await Promise.all([startTicksOf(pid), currentBootId()]);
  return {
    pid,
    ...(typeof startedAt === 'number' ? { startedAt } : {}),
    ...(bootId !== undefined ? { bootId } : {}),
  };
}

/**
 * Whether that run of the process still runs: its id is alive, and (where recorded and readable)
 * it is the same boot and the process with that id started when it did, not a later process
 * that was given the same id.
 */
export async function isInstanceRunning(instance: ProcessInstance): Promise<boolean> {
  if (!isProcessAlive(instance.pid)) return false;
  if (instance.bootId !== undefined) {
    const bootId = await currentBootId();
    if (bootId !== undefined && bootId !== instance.bootId) return false;
  }
  if (instance.startedAt !== undefined) {
    const startedAt = await startTicksOf(instance.pid);
    if (startedAt === 'gone') return false;
    if (startedAt !== undefined && startedAt !== instance.startedAt) return false;
  }
  return true;
}

/** A ProcessInstance from parsed JSON, or undefined when it names no process. */
export function asProcessInstance(value: unknown): ProcessInstance | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { pid, startedAt, bootId } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(pid) || (pid as number) <= 0) return undefined;
  return {
    pid: pid as number,
    ...(Number.isSafeInteger(startedAt) && (startedAt as number) >= 0 ? { startedAt: startedAt as number } : {}),
    ...(typeof bootId === 'string' && bootId !== '' ? { bootId } : {}),
  };
}
