import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TransferResult } from '../../src/core/transfer/types';
import { ensureBuilt, repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

interface CliResult { status: number | null; stdout: string; stderr: string }

describe('azml upload and download (bundled dist/cli.js) against the local workspace', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;
  let work: string;

  const azml = (args: string[]): CliResult => {
    ensureBuilt();
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', local.dataDir], {
      encoding: 'utf8', timeout: 90_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  before(async () => {
    local = await startLocalWorkspace();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-cli-transfer-'));
    mkdirSync(path.join(work, 'project', 'src'), { recursive: true });
    writeFileSync(path.join(work, 'project', 'src', 'train.py'), 'print("train")\n');
    writeFileSync(path.join(work, 'project', 'notes #1.md'), 'notes');
    writeFileSync(path.join(work, 'project', '.amlignore'), '*.md\n');
  });
  after(async () => {
    await local?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('uploads a folder under its own name, prints the summary, and skips unchanged files the second time', () => {
    const first = azml(['upload', path.join(work, 'project'), '--datastore', 'workspaceblobstore']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^Upload of .*project to workspaceblobstore\/project finished/m);
    assert.match(first.stdout, /uploaded: 2 files/);
    assert.match(first.stdout, /ignored: 1 file and 0 folders \(by \.amlignore/);
    assert.match(first.stderr, /2 \/ 2 files/, 'progress goes to stderr');

    const second = azml(['upload', path.join(work, 'project'), '--datastore', 'workspaceblobstore', '--json']);
    assert.equal(second.status, 0, second.stderr);
    const result = JSON.parse(second.stdout) as TransferResult;
    assert.deepEqual([result.transferred.files, result.skipped.unchanged], [0, 2]);
  });

  it('uploads into --target and downloads it back with --to', () => {
    const up = azml(['upload', path.join(work, 'project'), '--datastore', 'workspacefilestore', '--target', 'shared/code', '--on-exists', 'overwrite']);
    assert.equal(up.status, 0, up.stderr);
    const to = path.join(work, 'downloaded');
    const down = azml(['download', '--datastore', 'workspacefilestore', '--path', 'shared/code', '--to', to]);
    assert.equal(down.status, 0, down.stderr);
    assert.match(down.stdout, /downloaded: 2 files/);
    assert.equal(readFileSync(path.join(to, 'src', 'train.py'), 'utf8'), 'print("train")\n');
  });

  it('exits non-zero with a reason: unknown datastore, wrong --on-exists, missing folder', () => {
    const unknown = azml(['upload', path.join(work, 'project'), '--datastore', 'nosuchstore']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /nosuchstore/);
    const policy = azml(['upload', path.join(work, 'project'), '--datastore', 'workspaceblobstore', '--on-exists', 'sometimes']);
    assert.equal(policy.status, 2);
    assert.match(policy.stderr, /--on-exists takes one of overwrite, skip, skip-unchanged/);
    const missing = azml(['upload', path.join(work, 'nope'), '--datastore', 'workspaceblobstore']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope does not exist: check the path/);
  });
});
