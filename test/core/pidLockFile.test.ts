import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { LockHeldError, runningLockHolder, takePidLockFile } from '../../src/core/pidLockFile';
import { repoRoot } from '../support/repo';

/** The id of a process that has exited. */
const exitedPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

/** The file's text; '' when there is no file. */
const textOf = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

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

  /** A process that takes the lock on `go` (see pidLockRacer.ts), holds it `holdMs`, and answers `took` or `refused`. */
  const racer = (log: string, holdMs: number): { child: ChildProcessWithoutNullStreams; nextAnswer(): Promise<string> } => {
    const child = spawn(process.execPath, ['-r', path.join(repoRoot, 'test/support/registerTs.js'), path.join(__dirname, 'pidLockRacer.ts'), lock, log, String(holdMs)]);
    children.push(child);
    const answers: string[] = [];
    let waiting: (() => void) | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      answers.push(line);
      waiting?.();
    });
    const nextAnswer = async (): Promise<string> => {
      while (answers.length === 0) await new Promise<void>((resolve) => { waiting = resolve; });
      return answers.shift()!;
    };
    return { child, nextAnswer };
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'azml-pidlock-'));
    lock = path.join(dir, 'running.lock');
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a lock holds exactly the pid, what versions before write and read', async () => {
    const release = await takePidLockFile(lock);
    assert.equal(readFileSync(lock, 'utf8'), String(process.pid));
    await release();
    assert.deepEqual(readdirSync(dir), [], 'released, nothing is left');
  });

  it('a lock whose process runs is refused and left as it was', async () => {
    const pid = unrelated();
    writeFileSync(lock, `${pid}\n`);
    await assert.rejects(takePidLockFile(lock), (error: unknown) => error instanceof LockHeldError && error.holder === pid);
    assert.equal(readFileSync(lock, 'utf8'), `${pid}\n`);
    assert.equal(await runningLockHolder(lock), pid);
  });

  it('a lock of a process that has exited is taken over', async () => {
    writeFileSync(lock, String(exitedPid()));
    assert.equal(await runningLockHolder(lock), undefined);
    const release = await takePidLockFile(lock);
    assert.equal(readFileSync(lock, 'utf8'), String(process.pid));
    await release();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('a takeover cut short by a crash does not keep the lock from being taken', async () => {
    writeFileSync(lock, String(exitedPid()));
    writeFileSync(`${lock}.takeover`, String(exitedPid()));
    const release = await takePidLockFile(lock);
    assert.equal(readFileSync(lock, 'utf8'), String(process.pid));
    await release();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('a holder whose lock was deleted and taken by another process meanwhile leaves that one\'s lock in place as it releases its own', async () => {
    const log = path.join(dir, 'racer.log');
    const newcomer = racer(log, 3000);
    assert.equal(await newcomer.nextAnswer(), 'ready');
    const release = await takePidLockFile(lock);
    rmSync(lock); // by hand, say
    newcomer.child.stdin.write('go\n');
    const theirs = String(newcomer.child.pid);
    const deadline = Date.now() + 10_000;
    while (textOf(lock) !== theirs && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(textOf(lock), theirs, 'the newcomer took the lock');

    await release();
    assert.equal(textOf(lock), theirs, 'the newcomer\'s lock is still there');
    assert.equal(await newcomer.nextAnswer(), 'took');
    assert.deepEqual(readdirSync(dir), ['racer.log'], 'the newcomer released its own lock');
  });

  it('processes that find the same stale lock at the same moment: one holds it at a time', async function () {
    const racers = 8;
    const rounds = 25;
    const log = path.join(os.tmpdir(), `azml-pidlock-race-${process.pid}.log`);
    const procs = Array.from({ length: racers }, () => racer(log, 20));
    try {
      for (const proc of procs) assert.equal(await proc.nextAnswer(), 'ready');
      for (let round = 0; round < rounds; round++) {
        writeFileSync(lock, String(exitedPid()));
        writeFileSync(log, '');
        for (const proc of procs) proc.child.stdin.write('go\n');
        const said = await Promise.all(procs.map((proc) => proc.nextAnswer()));
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
