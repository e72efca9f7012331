import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { TransferResult } from '../../src/core/transfer/types';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { ensureBuilt, repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

interface CliResult { status: number | null; stdout: string; stderr: string }

describe('azml upload and download (bundled dist/cli.js) against the local workspace', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;
  let work: string;

  const azml = (args: string[], nodeArgs: string[] = []): CliResult => {
    ensureBuilt();
    const result = spawnSync(process.execPath, [...nodeArgs, path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', local.dataDir], {
      encoding: 'utf8', timeout: 90_000, env: { ...process.env, XDG_STATE_HOME: path.join(work, 'state') },
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

    const third = azml(['upload', path.join(work, 'project'), '--datastore', 'workspaceblobstore']);
    assert.equal(third.status, 0, third.stderr);
    assert.match(third.stdout, /All 2 files are unchanged: nothing to upload to workspaceblobstore\/project\./);
    assert.doesNotMatch(third.stdout, /uploaded: 0 files/);
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

  it('prints no runtime warning while hundreds of files and large files in parts move at once', () => {
    const many = path.join(work, 'many');
    mkdirSync(many, { recursive: true });
    for (let i = 0; i < 200; i++) writeFileSync(path.join(many, `f${i}.txt`), `file ${i}`);
    writeFileSync(path.join(many, 'large-a.bin'), randomBytes(20 * 1024 * 1024));
    writeFileSync(path.join(many, 'large-b.bin'), randomBytes(20 * 1024 * 1024));
    const limit = ['--require', path.join(repoRoot, 'test', 'support', 'abortListenerLimit.js')];
    for (const datastore of ['workspaceblobstore', 'workspacefilestore']) {
      const to = path.join(work, `many-${datastore}`);
      const runs = [
        azml(['upload', many, '--datastore', datastore, '--on-exists', 'overwrite'], limit),
        azml(['upload', many, '--datastore', datastore], limit),
        azml(['download', '--datastore', datastore, '--path', 'many', '--to', to], limit),
        azml(['download', '--datastore', datastore, '--path', 'many', '--to', to], limit),
      ];
      for (const run of runs) {
        assert.equal(run.status, 0, run.stderr);
        assert.doesNotMatch(run.stderr, /Warning|\(node:\d+\)/, `${datastore}: ${run.stderr}`);
      }
      assert.match(runs[0]!.stdout, /uploaded: 202 files/);
      assert.match(runs[2]!.stdout, /downloaded: 202 files/);
    }
  });

  describe('what the user picked, and only that', () => {
    let blob: ContainerClient;
    const blobNames = async (prefix = ''): Promise<string[]> => {
      const names: string[] = [];
      for await (const item of blob.listBlobsFlat({ prefix })) names.push(item.name);
      return names.sort();
    };
    before(async () => {
      const { workspaceClient } = connectLocalWorkspace(local.connection);
      const container = (await workspaceClient.datastores.get('workspaceblobstore')).containerName!;
      blob = new ContainerClient(`${local.connection.blobEndpoint}/${container}`, new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir)));
      const picked = path.join(work, 'picked');
      for (const [name, text] of Object.entries({ 'a/a.txt': 'a', 'b/b.txt': 'b', 'c/secret.txt': 'not picked' })) {
        mkdirSync(path.dirname(path.join(picked, name)), { recursive: true });
        writeFileSync(path.join(picked, name), text);
      }
      symlinkSync(path.join(picked, 'c'), path.join(picked, 'a', 'to-c'));
      symlinkSync(path.join(picked, 'c', 'secret.txt'), path.join(picked, 'a', 'secret-link.txt'));
    });

    it('azml upload a b: a link inside a to the sibling c (not picked) is not followed', async () => {
      const picked = path.join(work, 'picked');
      const up = azml(['upload', path.join(picked, 'a'), path.join(picked, 'b'), '--datastore', 'workspaceblobstore', '--json']);
      assert.equal(up.status, 0, up.stderr);
      const result = JSON.parse(up.stdout) as TransferResult;
      assert.deepEqual(await blobNames('picked/'), ['picked/a/a.txt', 'picked/b/b.txt']);
      assert.deepEqual(result.notTransferred.map((n) => n.path).sort(), ['a/secret-link.txt', 'a/to-c']);
      assert.match(result.notTransferred[0]!.reason, /outside the folder/);
    });

    it('azml upload a /missing fails before anything is sent', async () => {
      const before = await blobNames();
      const up = azml(['upload', path.join(work, 'picked', 'a'), '/no/such/folder', '--datastore', 'workspaceblobstore']);
      assert.equal(up.status, 2);
      assert.match(up.stderr, /\/no\/such\/folder does not exist/);
      assert.deepEqual(await blobNames(), before, 'nothing was uploaded');
    });

    it('a single picked pipe, or link to a file outside its folder, is an error with a non-zero exit', async function () {
      if (process.platform === 'win32') this.skip();
      const fifo = path.join(work, 'picked', 'pipe');
      execFileSync('mkfifo', [fifo]);
      const before = await blobNames();
      const pipe = azml(['upload', fifo, '--datastore', 'workspaceblobstore']);
      assert.equal(pipe.status, 2);
      assert.match(pipe.stderr, /pipe is not a file or folder/);
      const link = azml(['upload', path.join(work, 'picked', 'a', 'secret-link.txt'), '--datastore', 'workspaceblobstore']);
      assert.equal(link.status, 2);
      assert.match(link.stderr, /secret-link\.txt is a symbolic link to .*secret\.txt, outside its folder/);
      assert.deepEqual(await blobNames(), before, 'nothing was uploaded');
    });
  });

  it('exits non-zero with a reason: unknown datastore, wrong --on-exists, missing local or remote folder', () => {
    const unknown = azml(['upload', path.join(work, 'project'), '--datastore', 'nosuchstore']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /nosuchstore/);
    const policy = azml(['upload', path.join(work, 'project'), '--datastore', 'workspaceblobstore', '--on-exists', 'sometimes']);
    assert.equal(policy.status, 2);
    assert.match(policy.stderr, /--on-exists takes one of overwrite, skip, skip-unchanged/);
    const missing = azml(['upload', path.join(work, 'nope'), '--datastore', 'workspaceblobstore']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope does not exist/);
    const to = path.join(work, 'never-made');
    const noFolder = azml(['download', '--datastore', 'workspaceblobstore', '--path', 'no/such/folder', '--to', to]);
    assert.equal(noFolder.status, 1);
    assert.match(noFolder.stderr, /^azml: There is no folder "no\/such\/folder" in datastore "workspaceblobstore": nothing was downloaded\.$/m);
    assert.doesNotMatch(noFolder.stdout, /downloaded: 0 files/);
    assert.ok(!existsSync(to));
  });
});
