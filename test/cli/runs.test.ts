import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

describe('azml submit, logs and cancel against the local workspace', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let project: string;

  function azml(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    ensureBuilt();
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', local.dataDir], {
      cwd: project, encoding: 'utf8', timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  before(async () => {
    local = await startLocalWorkspace();
    project = mkdtempSync(path.join(os.tmpdir(), 'azml-cli-runs-'));
    writeFileSync(path.join(project, 'ok.py'), 'for i in range(3):\n    print(f"hello {i}")\n');
    writeFileSync(path.join(project, 'fail.py'), 'import sys\nprint("failing now")\nsys.exit(3)\n');
    writeFileSync(path.join(project, 'leak.py'), [
      'print("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=bGVha2VkLWtleQ==;EndpointSuffix=core.windows.net")',
      'raise SystemExit("could not read https://acct.blob.core.windows.net/c/x.csv?sv=2024-01-01&sig=bGVha2VkLXNpZw%3D")',
    ].join('\n') + '\n');
    writeFileSync(path.join(project, 'slow.py'), 'import time\nfor i in range(600):\n    print(i, flush=True)\n    time.sleep(0.1)\n');
  });
  after(async () => {
    await local?.dispose();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('submit --follow prints the job name, streams the log to stdout and exits 0 when it completes', () => {
    const result = azml('submit', 'ok.py', '--follow', '--experiment', 'cli-runs');
    assert.equal(result.status, 0, result.stderr);
    const [jobName, ...log] = result.stdout.trimEnd().split('\n');
    assert.match(jobName!, /^ok_[a-z0-9]+_[0-9a-f]{6}$/);
    assert.deepEqual(log, ['hello 0', 'hello 1', 'hello 2']);
    assert.match(result.stderr, /Status: (Preparing|Running|Completed)/);
    assert.match(result.stderr, /Run ok_\S+: Completed/);
    assert.doesNotMatch(result.stderr, /Warning: .*is not used/, 'on the local workspace the default environment is the one it runs with');

    const logs = azml('logs', jobName!);
    assert.equal(logs.status, 0, logs.stderr);
    assert.equal(logs.stdout, 'hello 0\nhello 1\nhello 2\n');
  });

  it('submit --follow exits 1 when the run fails, with its error and last lines', () => {
    const result = azml('submit', 'fail.py', '--follow');
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /failing now/);
    assert.match(result.stderr, /Failed/);
    assert.match(result.stderr, /\| failing now/);
  });

  it('submit --follow and logs mask a key or SAS signature the script prints, in the log and in the failure summary', () => {
    const result = azml('submit', 'leak.py', '--follow');
    assert.equal(result.status, 1, result.stderr);
    const jobName = result.stdout.split('\n')[0]!;
    const logs = azml('logs', jobName);
    assert.equal(logs.status, 0, logs.stderr);
    for (const output of [result.stdout, result.stderr, logs.stdout]) {
      assert.ok(!output.includes('bGVha2VkLWtleQ==') && !output.includes('bGVha2VkLXNpZw'), output);
    }
    assert.match(result.stdout, /AccountName=acct;AccountKey=\*\*\*;EndpointSuffix=core\.windows\.net/);
    assert.match(logs.stdout, /AccountKey=\*\*\*;/);
    assert.match(result.stderr, /x\.csv\?sv=2024-01-01&sig=\*\*\*/);
  });

  it('cancel stops a running job; logs --follow then ends and exits 1', () => {
    const submitted = azml('submit', 'slow.py');
    assert.equal(submitted.status, 0, submitted.stderr);
    const jobName = submitted.stdout.trim();
    const canceled = azml('cancel', jobName);
    assert.equal(canceled.status, 0, canceled.stderr);
    assert.match(canceled.stdout, new RegExp(`(Cancel requested for|Canceled) ${jobName}`));
    const followed = azml('logs', jobName, '--follow');
    assert.equal(followed.status, 1);
    assert.match(followed.stderr, /Canceled/);
  });

  it('explains a wrong call', () => {
    const result = azml('submit');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Name one file/);
  });
});
