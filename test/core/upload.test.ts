import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { remoteLabel, summaryHeadline, summaryLines } from '../../src/core/transfer/summary';
import type { TransferProgress, TransferResult } from '../../src/core/transfer/types';
import { uploadToDatastore } from '../../src/core/transfer/uploadFolder';
import { awkwardTree, readLocalTree, readRemoteTree, remoteMd5, startTransferHarness, writeTree, type TransferHarness } from './transferSupport';

const MiB = 1024 * 1024;
/** Small blocks so a few MiB exercise the staged-block path. */
const tuning = { blobBlockSize: MiB, blobSingleRequestLimit: MiB };
const md5 = (data: Buffer): string => createHash('md5').update(data).digest('base64');

const datastores = [['workspaceblobstore', 'blob'], ['workspacefilestore', 'file']] as const;

describe('upload engine against the local workspace (Azurite and the file share service)', function () {
  this.timeout(180_000);
  let h: TransferHarness;
  let work: string;

  before(async () => {
    h = await startTransferHarness();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-upload-'));
  });
  after(async () => {
    await h?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const [datastore, kind] of datastores) {
    describe(`to a ${kind === 'blob' ? 'blob container' : 'file share'} datastore`, () => {
      it('uploads awkward names, empty files and deep nesting byte-identical under the same relative paths', async () => {
        const root = path.join(work, `awkward-${kind}`);
        writeTree(root, awkwardTree(kind, 9 * MiB + 123));
        const storage = await h.storage(datastore);
        const progress: TransferProgress[] = [];
        const target = `awkward/${kind} #1`;
        const result = await uploadToDatastore({ storage, localRoot: root, targetPath: target, policy: 'skipUnchanged' },
          { onProgress: (p) => progress.push(p), tuning });

        assert.equal(result.fatal, undefined);
        assert.deepEqual(result.failed, []);
        const local = readLocalTree(root);
        const remote = await readRemoteTree(storage, target);
        const expected = [...local.keys()].filter((name) => kind === 'file' || !name.endsWith('/')).sort();
        assert.deepEqual([...remote.keys()].sort(), expected);
        for (const name of expected) assert.ok(remote.get(name)!.equals(local.get(name)!), `${name} differs`);

        for (const name of ['large file.bin', 'empty.txt', 'with space.txt', 'dir with space/#dir%/inner file.bin']) {
          assert.equal(await remoteMd5(storage, `${target}/${name}`), md5(local.get(name)!), `Content-MD5 of ${name}`);
        }
        const files = expected.filter((n) => !n.endsWith('/')).length;
        assert.equal(result.transferred.files, files);
        assert.equal(result.filesFound, files);
        if (kind === 'blob') {
          assert.deepEqual(result.notTransferred.map((n) => n.path).sort(), ['empty folder/', 'nested/empty too/']);
        } else {
          assert.equal(result.emptyFolders, 2);
        }
        const last = progress.at(-1)!;
        assert.equal(last.filesDone, files);
        assert.equal(last.filesTotal, files);
        assert.equal(last.bytesDone, last.bytesTotal);
      });

      it('applies each existing-file policy (skip, skip unchanged by size and MD5, overwrite), small and large files', async () => {
        const root = path.join(work, `policies-${kind}`);
        const big = randomBytes(5 * MiB + 7);
        writeTree(root, { 'same.txt': 'unchanged', 'edited.txt': 'version 1', 'big.bin': big });
        const storage = await h.storage(datastore);
        const target = `policies-${kind}`;
        const upload = (policy: 'skip' | 'skipUnchanged' | 'overwrite'): Promise<TransferResult> =>
          uploadToDatastore({ storage, localRoot: root, targetPath: target, policy }, { tuning });

        assert.equal((await upload('overwrite')).transferred.files, 3);
        // Same sizes, different content: only an MD5 comparison tells them apart.
        writeFileSync(path.join(root, 'edited.txt'), 'version 2');
        big[1000] = (big[1000]! + 1) % 256;
        writeFileSync(path.join(root, 'big.bin'), big);
        writeFileSync(path.join(root, 'new.txt'), 'new');

        const skip = await upload('skip');
        assert.deepEqual([skip.transferred.files, skip.skipped.existing, skip.skipped.unchanged], [1, 3, 0]);
        let remote = await readRemoteTree(storage, target);
        assert.equal(remote.get('edited.txt')!.toString(), 'version 1', '"skip" leaves existing files alone');
        assert.equal(remote.get('new.txt')!.toString(), 'new');

        const skipUnchanged = await upload('skipUnchanged');
        assert.deepEqual([skipUnchanged.transferred.files, skipUnchanged.skipped.unchanged, skipUnchanged.skipped.existing], [2, 2, 0]);
        remote = await readRemoteTree(storage, target);
        assert.equal(remote.get('edited.txt')!.toString(), 'version 2');
        assert.ok(remote.get('big.bin')!.equals(big));
        assert.equal(await remoteMd5(storage, `${target}/big.bin`), md5(big), 'a block-staged file records its whole MD5');

        const again = await upload('skipUnchanged');
        assert.deepEqual([again.transferred.files, again.skipped.unchanged], [0, 4]);
        assert.equal(summaryHeadline(again), `All 4 files are unchanged: nothing to upload to ${remoteLabel(again)}.`,
          'a re-upload where nothing changed says so, not "Uploaded 0 files"');
        assert.ok(!summaryLines(again).some((l) => /uploaded: 0 files/.test(l)), summaryLines(again).join('\n'));

        const overwrite = await upload('overwrite');
        assert.deepEqual([overwrite.transferred.files, overwrite.skipped.unchanged + overwrite.skipped.existing], [4, 0]);
      });

      it('cancel stops the transfer, says what was uploaded, and leaves no half-written file', async () => {
        const root = path.join(work, `cancel-${kind}`);
        const files: Record<string, Buffer> = {};
        for (let i = 0; i < 300; i++) files[`small/${String(i).padStart(3, '0')}.bin`] = randomBytes(4096);
        files['big/one.bin'] = randomBytes(24 * MiB);
        writeTree(root, files);
        const storage = await h.storage(datastore);
        const controller = new AbortController();
        const target = `cancel-${kind}`;
        const result = await uploadToDatastore({ storage, localRoot: root, targetPath: target, policy: 'overwrite' }, {
          signal: controller.signal,
          tuning: { ...tuning, maxConcurrency: 4 },
          onProgress: (p) => {
            if (p.filesDone >= 40) controller.abort();
          },
        });
        assert.equal(result.canceled, true);
        assert.equal(result.fatal, undefined);
        assert.ok(result.transferred.files >= 40 && result.transferred.files < 301, `uploaded ${result.transferred.files}`);
        assert.deepEqual(result.failed, [], 'files not reached are not failures');
        const of = result.foundAll ? ' of 301' : '';
        assert.match(summaryHeadline(result), new RegExp(`^Upload canceled: ${result.transferred.files}${of} files uploaded to workspace`));
        assert.match(summaryLines(result)[0]!, /^Upload of .* canceled after/);

        const remote = await readRemoteTree(storage, target);
        const remoteFiles = [...remote.keys()].filter((n) => !n.endsWith('/')).length;
        assert.ok(remoteFiles >= result.transferred.files && remoteFiles < 301, `${remoteFiles} remote files`);
        for (const [name, content] of remote) {
          assert.doesNotMatch(name, /\.azml-upload-/, 'no temporary file is left');
          if (name.endsWith('/')) continue; // a share folder created for a file not reached
          assert.ok(content.equals(files[name]!), `${name} is complete and identical`);
        }
      });
    });
  }

  it('uploads and skips unchanged through the SDK\'s own calls when the container\'s pipeline is out of reach (another SDK version)', async () => {
    const root = path.join(work, 'sdk-fallback');
    writeTree(root, { 'a b.txt': 'one', 'dir #1/ü%.csv': 'x,y\n1,2\n', 'empty.txt': '' });
    const storage = await h.storage('workspaceblobstore');
    if (storage.kind !== 'blob') throw new Error('expected a blob datastore');
    Object.defineProperty(storage.container, 'storageClientContext', { value: undefined });
    const request = { storage, localRoot: root, targetPath: 'sdk-fallback', policy: 'skipUnchanged' } as const;

    const first = await uploadToDatastore(request);
    assert.deepEqual(first.failed, []);
    assert.equal(first.transferred.files, 3);
    const remote = await readRemoteTree(storage, 'sdk-fallback');
    for (const [name, data] of readLocalTree(root)) assert.ok(remote.get(name)?.equals(data), `${name} differs`);
    assert.equal(await remoteMd5(storage, 'sdk-fallback/dir #1/ü%.csv'), md5(Buffer.from('x,y\n1,2\n')));

    const again = await uploadToDatastore(request);
    assert.equal(again.transferred.files, 0);
    assert.equal(again.skipped.unchanged, 3);
  });

  it('reports names a file share cannot hold, and uploads the rest', async () => {
    const root = path.join(work, 'share-names');
    writeTree(root, { 'ok.txt': 'fine', 'what?.txt': 'no', 'a|b.txt': 'no' });
    const result = await uploadToDatastore({ storage: await h.storage('workspacefilestore'), localRoot: root, targetPath: 'share-names', policy: 'overwrite' });
    assert.equal(result.transferred.files, 1);
    assert.deepEqual(result.failed.map((f) => f.path).sort(), ['a|b.txt', 'what?.txt']);
    assert.match(result.failed[0]!.reason, /Azure Files does not allow/);
  });

  for (const [datastore, kind] of datastores) {
    it(`refuses names with control characters (or not UTF-8) per file, saying which and why; the rest reaches the ${kind} datastore, which stays listable`, async function () {
      if (process.platform === 'win32') this.skip();
      const root = path.join(work, `odd-names-${kind}`);
      writeTree(root, { 'ok.txt': 'fine', 'tab\there.txt': 'tab', 'line\nbreak.txt': 'newline', 'dir\u0001/inner.txt': 'in an odd folder', 'del\u007f.txt': 'del' });
      writeFileSync(Buffer.concat([Buffer.from(`${root}/latin1-`), Buffer.from([0xe9]), Buffer.from('.txt')]), 'not UTF-8');
      const storage = await h.storage(datastore);
      const target = `odd-names-${kind}`;
      const result = await uploadToDatastore({ storage, localRoot: root, targetPath: target, policy: 'overwrite' });
      assert.equal(result.fatal, undefined);
      assert.equal(result.transferred.files, 1);
      const reasons = Object.fromEntries(result.failed.map((f) => [f.path, f.reason]));
      assert.deepEqual(Object.keys(reasons).sort(), ['del\u007f.txt', 'dir\u0001/inner.txt', 'latin1-\ufffd.txt', 'line\nbreak.txt', 'tab\there.txt']);
      assert.match(reasons['tab\there.txt']!, /control character \(U\+0009\).*rename it/);
      assert.match(reasons['line\nbreak.txt']!, /U\+000A/);
      assert.match(reasons['dir\u0001/inner.txt']!, /U\+0001/);
      assert.match(reasons['latin1-\ufffd.txt']!, /not valid UTF-8/);
      assert.deepEqual([...(await readRemoteTree(storage, target)).keys()], ['ok.txt'], 'only the good name was written, and the folder lists');
    });
  }

  it('honours .amlignore, never uploads .git, and says how much was ignored', async () => {
    const root = path.join(work, 'ignored');
    writeTree(root, {
      '.amlignore': 'outputs/\n*.ckpt\n', '.gitignore': '*.py\n', 'train.py': 'print()', 'model.ckpt': 'weights',
      'outputs/run1/log.txt': 'log', '.git/HEAD': 'ref: refs/heads/main',
    });
    const storage = await h.storage('workspaceblobstore');
    const result = await uploadToDatastore({ storage, localRoot: root, targetPath: 'ignored', policy: 'overwrite' });
    assert.deepEqual([...(await readRemoteTree(storage, 'ignored')).keys()].sort(), ['.amlignore', '.gitignore', 'train.py']);
    assert.deepEqual(result.ignored, { files: 1, folders: 2, rulesFile: '.amlignore' });
    assert.ok(summaryLines(result).includes('  ignored: 1 file and 2 folders (by .amlignore; .git is always left out)'));
  });
});
