import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFileService } from '../../../src/local/fileService';
import { accountName, clientFor, readAll, startHarness, type Harness } from './harness';

async function listNames(iterable: AsyncIterable<{ name: string; kind: string }>): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of iterable) names.push(`${entry.kind}:${entry.name}`);
  return names.sort();
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('local file service persistence', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness();
  });

  afterEach(async () => {
    await harness.dispose();
  });

  it('keeps shares, directories, files and properties across a restart', async () => {
    const share = harness.client.getShareClient('kept');
    await share.create({ metadata: { owner: 'tests' } });
    await share.getDirectoryClient('empty dir').create();
    const nested = share.getDirectoryClient('a #%?').getDirectoryClient('ü 文件');
    await share.getDirectoryClient('a #%?').create();
    await nested.create();
    await nested.getFileClient('empty.txt').create(0);
    const big = randomBytes(5 * 1024 * 1024 + 11);
    await nested.getFileClient('big.bin').uploadData(big);
    const text = Buffer.from('typed text');
    const md5 = createHash('md5').update(text).digest();
    await nested.getFileClient('typed?.txt').uploadData(text, {
      fileHttpHeaders: { fileContentType: 'text/plain', fileContentMD5: md5 }, metadata: { tag: 'x' },
    });
    await share.getDirectoryClient('a #%?').getFileClient('gone.txt').uploadData(Buffer.from('deleted before restart'));
    await share.getDirectoryClient('a #%?').getFileClient('gone.txt').delete();

    await harness.restart();

    const again = harness.client.getShareClient('kept');
    assert.deepEqual((await again.getProperties()).metadata, { owner: 'tests' });
    assert.deepEqual(await listNames(again.rootDirectoryClient.listFilesAndDirectories()), ['directory:a #%?', 'directory:empty dir']);
    assert.deepEqual(await listNames(again.getDirectoryClient('empty dir').listFilesAndDirectories()), []);
    const nestedAgain = again.getDirectoryClient('a #%?').getDirectoryClient('ü 文件');
    assert.deepEqual(await listNames(nestedAgain.listFilesAndDirectories()), ['file:big.bin', 'file:empty.txt', 'file:typed?.txt']);
    assert.equal((await nestedAgain.getFileClient('empty.txt').getProperties()).contentLength, 0);
    assert.ok(big.equals(await nestedAgain.getFileClient('big.bin').downloadToBuffer()));
    const typed = await nestedAgain.getFileClient('typed?.txt').getProperties();
    assert.equal(typed.contentType, 'text/plain');
    assert.deepEqual(Buffer.from(typed.contentMD5!), md5);
    assert.deepEqual(typed.metadata, { tag: 'x' });
    assert.equal((await readAll((await nestedAgain.getFileClient('typed?.txt').download()).readableStreamBody)).toString(), 'typed text');

    // Names never reach the disk: only content ids and the service's own files are there, and a
    // deleted file's content is gone.
    const onDisk = await filesUnder(harness.rootDir);
    for (const name of onDisk) assert.match(name, /^([0-9a-f]{32}|index\.json|journal-\d+\.jsonl|service\.lock)$/);
    assert.equal(onDisk.filter((name) => /^[0-9a-f]{32}$/.test(name)).length, 3);
  });

  it('refuses a second service on a data folder that is in use', async () => {
    await assert.rejects(
      startFileService({ rootDir: harness.rootDir, accountName, accountKey: harness.accountKey }),
      /in use by process/,
    );
  });

  it('keeps every acknowledged write when the process is killed without closing', async function () {
    this.timeout(60_000);
    const rootDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'azml-crash-')), 'data');
    const accountKey = randomBytes(64).toString('base64');
    const repoRoot = path.resolve(__dirname, '..', '..', '..');
    const child = spawn(process.execPath, ['-r', path.join(repoRoot, 'test', 'support', 'registerTs.js'), path.join(__dirname, 'crashChild.ts')], {
      cwd: repoRoot,
      env: { ...process.env, AZML_TEST_ROOT: rootDir, AZML_TEST_KEY: accountKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let errorOutput = '';
        child.stderr.on('data', (chunk: Buffer) => (errorOutput += chunk.toString()));
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`The child exited (${code}) before it was ready: ${errorOutput}`)));
      });
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    }

    const service = await startFileService({ rootDir, accountName, accountKey });
    try {
      const kept = clientFor(service.url, accountKey).getShareClient('crash').getDirectoryClient('kept');
      const names = await listNames(kept.listFilesAndDirectories());
      assert.equal(names.length, 20);
      for (let i = 0; i < 20; i++) {
        assert.equal((await kept.getFileClient(`file-${i}.txt`).downloadToBuffer()).toString(), `content ${i}`);
      }
    } finally {
      await service.close();
      await fs.rm(path.dirname(rootDir), { recursive: true, force: true });
    }
  });
});
