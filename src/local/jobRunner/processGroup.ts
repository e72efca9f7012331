import { spawn, spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The command could not be started at all. */
  error?: Error;
}

export interface OutputSink {
  /** False asks to pause reading until drained() resolves. */
  write(chunk: Buffer, stream: 'stdout' | 'stderr'): boolean;
  drained(): Promise<void>;
}

export interface CommandOptions {
  /** The shell to run the command with (`bash -c` / `sh -c`; `cmd /c` on Windows). */
  shell: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  output: OutputSink;
  /** After SIGTERM, how long processes get before SIGKILL. */
  graceMs: number;
}

export interface RunningCommand {
  readonly pid: number | undefined;
  /**
   * Resolves when the command has exited, whatever was left of its process group has been
   * stopped (as a container's end stops everything in it) and its output has been read.
   */
  readonly finished: Promise<ProcessExit>;
  /** Stops the whole process tree: SIGTERM, then SIGKILL after the grace time. */
  stop(): Promise<ProcessExit>;
}

const isWindows = process.platform === 'win32';
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    if (isWindows) spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    else process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

function groupAlive(pid: number): boolean {
  if (isWindows) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGroupGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await delay(50);
  }
  return true;
}

async function stopGroup(pid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  if (!(await waitUntilGroupGone(pid, graceMs))) signalGroup(pid, 'SIGKILL');
}

function pump(stream: Readable, name: 'stdout' | 'stderr', output: OutputSink): Promise<void> {
  stream.on('data', (chunk: Buffer) => {
    if (!output.write(chunk, name)) {
      stream.pause();
      void output.drained().then(() => stream.resume());
    }
  });
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

/** Runs a shell command in its own process group (so it can be stopped with all its children). */
export function runCommand(command: string, options: CommandOptions): RunningCommand {
  const args = isWindows ? ['/d', '/s', '/c', `"${command}"`] : ['-c', command];
  const child = spawn(options.shell, args, {
    cwd: options.cwd,
    env: options.env,
    detached: !isWindows,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    windowsVerbatimArguments: isWindows,
  });
  const outputRead = Promise.all([pump(child.stdout!, 'stdout', options.output), pump(child.stderr!, 'stderr', options.output)]);
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  const pid = child.pid;

  const finished = (async (): Promise<ProcessExit> => {
    const exit = await exited;
    if (pid !== undefined) await stopGroup(pid, options.graceMs);
    // A process that left the group (setsid) may still hold the pipes; don't wait for it forever.
    await Promise.race([outputRead, delay(2000)]);
    child.stdout!.destroy();
    child.stderr!.destroy();
    return exit;
  })();

  return {
    pid,
    finished,
    async stop() {
      if (pid !== undefined) {
        signalGroup(pid, 'SIGTERM');
        const done = await Promise.race([finished.then(() => true), delay(options.graceMs).then(() => false)]);
        if (!done) signalGroup(pid, 'SIGKILL');
      }
      return finished;
    },
  };
}
