import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { LockHeldError, takePidLockFile } from '../../src/core/pidLockFile';
import { repoRoot } from '../support/repo';

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

const bootId = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** The id of a process that has exited. */
const exitedPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

describe('pid lock files', function () {
  this.timeout(120_000);
  let dir: string;
  let lock: string;
  const children: Array<{ kill(signal: NodeJS.Signals): boolean }> = [];

  /** An unrelated program that runs: the one a crashed holder's pid may since belong to. */
  const unrelated = (): number => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(child);
    return child.pid!;
  };
  const holderIn = (): number => (JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'azml-pidlock-'));
    lock = path.join(dir, 'running.lock');
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a lock whose pid now belongs to a process that started later (the pid reused) is taken over; naming that process as it is, it is refused', async function () {
    if (process.platform !== 'linux') this.skip();
    const pid = unrelated();
    const started = startTicks(pid);

    writeFileSync(lock, JSON.stringify({ pid, startedAt: started - 100, bootId: bootId() }));
    const release = await takePidLockFile(lock);
    assert.equal(holderIn(), process.pid, 'the lock now names this process');
    await release();
    assert.deepEqual(readdirSync(dir), [], 'released, nothing is left');

    // The same pid in a lock written before a reboot: another process, even with the same start time.
    writeFileSync(lock, JSON.stringify({ pid, startedAt: started, bootId: '00000000-0000-0000-0000-000000000000' }));
    await (await takePidLockFile(lock))();

    const live = JSON.stringify({ pid, startedAt: started, bootId: bootId() });
    writeFileSync(lock, live);
    await assert.rejects(takePidLockFile(lock), (error: unknown) => error instanceof LockHeldError && error.holder === pid);
    assert.equal(readFileSync(lock, 'utf8'), live, 'the live lock is left as it was');
  });

  it('a lock holding only a pid (as versions before wrote) is taken over when that process has exited, refused while it runs', async () => {
    writeFileSync(lock, String(exitedPid()));
    const release = await takePidLockFile(lock);
    assert.equal(holderIn(), process.pid);
    await release();

    const pid = unrelated();
    writeFileSync(lock, `${pid}\n`);
    await assert.rejects(takePidLockFile(lock), (error: unknown) => error instanceof LockHeldError && error.holder === pid);
    assert.equal(readFileSync(lock, 'utf8'), `${pid}\n`);
  });

  it('a takeover cut short by a crash does not keep the lock from being taken', async () => {
    writeFileSync(lock, String(exitedPid()));
    writeFileSync(`${lock}.takeover`, JSON.stringify({ pid: exitedPid() }));
    const release = await takePidLockFile(lock);
    assert.equal(holderIn(), process.pid);
    await release();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('processes that find the same stale lock at the same moment: one holds it at a time', async function () {
    const racers = 8;
    const rounds = 25;
    const log = path.join(os.tmpdir(), `azml-pidlock-race-${process.pid}.log`);
    const answers: string[][] = [];
    const waiting: Array<(() => void) | undefined> = [];
    const procs: ChildProcessWithoutNullStreams[] = [];
    for (let i = 0; i < racers; i++) {
      const child = spawn(process.execPath, ['-r', path.join(repoRoot, 'test/support/registerTs.js'), path.join(__dirname, 'pidLockRacer.ts'), lock, log, '20']);
      children.push(child);
      procs.push(child);
      answers.push([]);
      createInterface({ input: child.stdout }).on('line', (line) => {
        answers[i]!.push(line);
        waiting[i]?.();
      });
    }
    const nextAnswer = async (i: number): Promise<string> => {
      while (answers[i]!.length === 0) await new Promise<void>((resolve) => { waiting[i] = resolve; });
      return answers[i]!.shift()!;
    };
    try {
      for (let i = 0; i < racers; i++) assert.equal(await nextAnswer(i), 'ready');
      for (let round = 0; round < rounds; round++) {
        writeFileSync(lock, String(exitedPid()));
        writeFileSync(log, '');
        for (const child of procs) child.stdin.write('go\n');
        const said = await Promise.all(procs.map((_, i) => nextAnswer(i)));
        assert.deepEqual(said.filter((s) => s !== 'took' && s !== 'refused'), [], `round ${round}: every racer took the lock or was refused`);
        assert.ok(said.includes('took'), `round ${round}: one took the stale lock`);

        const marks = readFileSync(log, 'utf8').trim().split('\n');
        for (let at = 0; at < marks.length; at += 2) {
          const holder = marks[at]!.replace(/^enter /, '');
          assert.deepEqual([marks[at], marks[at + 1]], [`enter ${holder}`, `leave ${holder}`],
            `round ${round}: two processes held the lock at once:\n${marks.join('\n')}`);
        }
        assert.deepEqual(readdirSync(dir), [], `round ${round}: released, no lock, guard or temporary file is left`);
      }
    } finally {
      rmSync(log, { force: true });
    }
  });
});
