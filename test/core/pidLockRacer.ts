// A process that races others for one pid lock (see pidLockFile.test.ts). On each `go` line on
// stdin it tries to take the lock; holding it, it marks `enter`/`leave` in the shared log, and
// answers `took` or `refused` on stdout.
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { LockHeldError, takePidLockFile } from '../../src/core/pidLockFile';

const [lockFile, logFile, holdMs] = process.argv.slice(2) as [string, string, string];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function attempt(): Promise<string> {
  let release: () => Promise<void>;
  try {
    release = await takePidLockFile(lockFile);
  } catch (error) {
    if (error instanceof LockHeldError) return 'refused';
    throw error;
  }
  appendFileSync(logFile, `enter ${process.pid}\n`);
  await sleep(Number(holdMs));
  appendFileSync(logFile, `leave ${process.pid}\n`);
  await release();
  return 'took';
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'go') void attempt().then((answer) => process.stdout.write(`${answer}\n`), (error: Error) => process.stdout.write(`failed ${error.message}\n`));
});
process.stdout.write('ready\n');
