import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatastoreStorage } from '../../src/azure/datastoreStorage';
import { downloadFromDatastore } from '../../src/core/transfer/downloadFolder';
import { summaryHeadline } from '../../src/core/transfer/summary';
import { uploadToDatastore } from '../../src/core/transfer/uploadFolder';
import { awkwardTree, readLocalTree, startTransferHarness, writeTree, type TransferHarness } from './transferSupport';

const MiB = 1024 * 1024;

/** Writes files under root and answers root. */
function writeTreeIn(root: string, files: Record<string, string>): string {
  writeTree(root, files);
  return root;
}

/** Every file name below a folder, recursively. */
function allNames(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' });
}

/**
 * An SDK client whose methods are its own (bound to it), except those given: the engine talks to
 * the real service, and a test decides what happens between two of its requests.
 */
function intercepted<T extends object>(client: T, overrides: Record<string, unknown>): T {
  return new Proxy(client, {
    get(target, property) {
      if (typeof property === 'string' && property in overrides) return overrides[property];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The storage with `name`'s ranged reads intercepted: before the first one past offset 0 (the
 * second part, once the first was read), `between` runs, and only then does the read go out.
 */
function rewrittenAfterFirstPart(storage: DatastoreStorage, folder: string, name: string, between: () => Promise<unknown>): DatastoreStorage {
  let done = false;
  type Download = (offset?: number, count?: number, options?: object) => Promise<unknown>;
  const download = (real: Download): Download => async (offset, count, options) => {
    if (!done && offset !== undefined && offset > 0) {
      done = true;
      await between();
    }
    return real(offset, count, options);
  };
  if (storage.kind === 'blob') {
    const { container } = storage;
    return {
      ...storage,
      container: intercepted(container, {
        getBlobClient: (blobName: string) => {
          const blob = container.getBlobClient(blobName);
          return blobName === `${folder}/${name}` ? intercepted(blob, { download: download(blob.download.bind(blob)) }) : blob;
        },
      }),
    };
  }
  const { share } = storage;
  return {
    ...storage,
    share: intercepted(share, {
      getDirectoryClient: (directoryName: string) => {
        const directory = share.getDirectoryClient(directoryName);
        return directoryName !== folder ? directory : intercepted(directory, {
          getFileClient: (fileName: string) => {
            const file = directory.getFileClient(fileName);
            return fileName === name ? intercepted(file, { download: download(file.download.bind(file)) }) : file;
          },
        });
      },
    }),
  };
}

describe('download engine against the local workspace', function () {
  this.timeout(180_000);
  let h: TransferHarness;
  let work: string;

  before(async () => {
    h = await startTransferHarness();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-download-'));
  });
  after(async () => {
    await h?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const [datastore, kind] of [['workspaceblobstore', 'blob'], ['workspacefilestore', 'file']] as const) {
    it(`round-trips awkward names through a ${kind} datastore byte-identical (large files in parallel ranges)`, async () => {
      const source = path.join(work, `source-${kind}`);
      writeTree(source, awkwardTree(kind, 11 * MiB + 5));
      const storage = await h.storage(datastore);
      const up = await uploadToDatastore({ storage, localRoot: source, targetPath: `round trip ${kind}`, policy: 'overwrite' });
      assert.deepEqual(up.failed, []);

      const target = path.join(work, `target-${kind}`);
      const down = await downloadFromDatastore({ storage, remotePath: `round trip ${kind}`, localRoot: target, policy: 'skipUnchanged' },
        { tuning: { blobSingleRequestLimit: MiB, blobBlockSize: MiB } });
      assert.equal(down.fatal, undefined);
      assert.deepEqual(down.failed, []);
      assert.deepEqual(down.notTransferred, []);
      const expected = readLocalTree(source);
      if (kind === 'blob') for (const name of [...expected.keys()]) if (name.endsWith('/')) expected.delete(name);
      const actual = readLocalTree(target);
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
      for (const [name, content] of expected) assert.ok(actual.get(name)!.equals(content), `${name} differs`);
      assert.ok(!allNames(target).some((n) => n.includes('.azml-download-')), 'no temporary file is left');

      const again = await downloadFromDatastore({ storage, remotePath: `round trip ${kind}`, localRoot: target, policy: 'skipUnchanged' });
      assert.equal(again.transferred.files, 0);
      assert.equal(again.skipped.unchanged, down.transferred.files);
    });
  }

  it('applies the existing-file policies to local files', async () => {
    const storage = await h.storage('workspaceblobstore');
    const source = path.join(work, 'policy-source');
    writeTree(source, { 'a.txt': 'remote a', 'b.txt': 'remote b' });
    await uploadToDatastore({ storage, localRoot: source, targetPath: 'policy', policy: 'overwrite' });
    const target = path.join(work, 'policy-target');
    writeTree(target, { 'a.txt': 'local a!', 'keep.txt': 'mine' });

    const skip = await downloadFromDatastore({ storage, remotePath: 'policy', localRoot: target, policy: 'skip' });
    assert.deepEqual([skip.transferred.files, skip.skipped.existing], [1, 1]);
    assert.equal(readFileSync(path.join(target, 'a.txt'), 'utf8'), 'local a!');
    const unchanged = await downloadFromDatastore({ storage, remotePath: 'policy', localRoot: target, policy: 'skipUnchanged' });
    assert.deepEqual([unchanged.transferred.files, unchanged.skipped.unchanged], [1, 1], 'same size, other content: downloaded');
    assert.equal(readFileSync(path.join(target, 'a.txt'), 'utf8'), 'remote a');
    const overwrite = await downloadFromDatastore({ storage, remotePath: 'policy', localRoot: target, policy: 'overwrite' });
    assert.equal(overwrite.transferred.files, 2);
    assert.equal(readFileSync(path.join(target, 'keep.txt'), 'utf8'), 'mine', 'local files not in the datastore stay');
  });

  for (const [datastore, kind] of [['workspaceblobstore', 'blob'], ['workspacefilestore', 'file']] as const) {
    it(`a large file in a ${kind} datastore rewritten in storage between its parts fails as changed, leaves no torn file, and the rest downloads`, async () => {
      const storage = await h.storage(datastore);
      // Larger than one part (file shares read 4 MiB ranges; blobs here 64 KiB ones), and no Content-MD5 to catch a mix.
      const size = kind === 'blob' ? 256 * 1024 : 9 * MiB;
      const before = Buffer.alloc(size, 0x41);
      const after = Buffer.alloc(size, 0x42);
      const folder = `torn-${kind}`;
      const write = async (name: string, content: Buffer): Promise<void> => {
        if (storage.kind === 'blob') {
          // Staged and committed as blocks: the service records no Content-MD5 for the whole blob.
          const blob = storage.container.getBlockBlobClient(`${folder}/${name}`);
          const id = Buffer.from(`block-${content[0]}`).toString('base64');
          await blob.stageBlock(id, content, content.length);
          await blob.commitBlockList([id]);
        } else {
          const directory = storage.share.getDirectoryClient(folder);
          await directory.createIfNotExists();
          await directory.getFileClient(name).uploadData(content);
        }
      };
      await write('big.bin', before);
      await write('small.txt', Buffer.from('small'));
      if (storage.kind === 'blob') {
        assert.equal((await storage.container.getBlobClient(`${folder}/big.bin`).getProperties()).contentMD5, undefined, 'no Content-MD5');
      }

      const target = path.join(work, `torn-target-${kind}`);
      const result = await downloadFromDatastore({
        storage: rewrittenAfterFirstPart(storage, folder, 'big.bin', () => write('big.bin', after)),
        remotePath: folder, localRoot: target, policy: 'overwrite',
      }, { tuning: { blobSingleRequestLimit: 64 * 1024, blobBlockSize: 64 * 1024, maxConcurrency: 1, adaptiveConcurrency: false } });

      assert.equal(result.fatal, undefined);
      assert.deepEqual(result.failed.map((f) => f.path), ['big.bin'], `big.bin fails: ${JSON.stringify(result)}`);
      assert.match(result.failed[0]!.reason, /changed in storage while it was downloaded/);
      assert.equal(result.transferred.files, 1);
      assert.equal(readFileSync(path.join(target, 'small.txt'), 'utf8'), 'small');
      assert.ok(!existsSync(path.join(target, 'big.bin')), 'no torn file under its name');
      assert.deepEqual(allNames(target), ['small.txt'], 'no temporary file is left');
    });
  }

  it('a symbolic link in the local folder never leads the download into making folders outside it', async () => {
    const storage = await h.storage('workspaceblobstore');
    if (storage.kind !== 'blob') throw new Error('expected a blob datastore');
    await storage.container.getBlockBlobClient('deep-link/ok.txt').upload('fine', 4);
    await storage.container.getBlockBlobClient('deep-link/link/made/by/x.txt').upload('x', 1);
    const target = path.join(work, 'deep-link-target');
    const outside = path.join(work, 'deep-link-outside');
    mkdirSync(target, { recursive: true });
    mkdirSync(outside, { recursive: true });
    symlinkSync(outside, path.join(target, 'link'));

    const result = await downloadFromDatastore({ storage, remotePath: 'deep-link', localRoot: target, policy: 'overwrite' });
    assert.equal(result.transferred.files, 1);
    assert.equal(readFileSync(path.join(target, 'ok.txt'), 'utf8'), 'fine');
    assert.deepEqual(result.failed.map((f) => f.path), ['link/made/by/x.txt']);
    assert.match(result.failed[0]!.reason, /outside the chosen folder/);
    assert.deepEqual(readdirSync(outside), [], 'no folder was made through the link');
  });

  describe('hostile remote names', () => {
    let storage: DatastoreStorage;
    before(async () => {
      storage = await h.storage('workspaceblobstore');
      if (storage.kind !== 'blob') throw new Error('expected a blob datastore');
      const put = (name: string, text: string) => storage.kind === 'blob'
        ? storage.container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text)) : Promise.reject(new Error('blob only'));
      await put('hostile/ok.txt', 'fine');
      // Azurite stores backslashes as "/": this blob's name becomes "hostile/../../evil.txt".
      await put('hostile\\..\\..\\evil.txt', 'escaped');
      await put('hostile//absolute.txt', 'absolute');
      await put('hostile/C:/drive.txt', 'drive');
      await put('hostile/link/pwned.txt', 'through a link');
    });

    it('refuses and reports names that would land outside the chosen folder, writes the rest', async () => {
      const names: string[] = [];
      for await (const blob of (storage as Extract<DatastoreStorage, { kind: 'blob' }>).container.listBlobsFlat({ prefix: 'hostile/' })) names.push(blob.name);
      assert.ok(names.includes('hostile/../../evil.txt'), `the hostile blob exists: ${names.join(', ')}`);

      const sandbox = path.join(work, 'sandbox');
      const target = path.join(sandbox, 'a', 'b', 'download');
      const outside = path.join(work, 'outside');
      mkdirSync(outside, { recursive: true });
      mkdirSync(target, { recursive: true });
      // A link already in the local folder must not lead the download out of it either.
      symlinkSync(outside, path.join(target, 'link'));

      const result = await downloadFromDatastore({ storage, remotePath: 'hostile', localRoot: target, policy: 'overwrite' });
      assert.equal(result.transferred.files, 1);
      assert.equal(readFileSync(path.join(target, 'ok.txt'), 'utf8'), 'fine');
      const refused = Object.fromEntries(result.notTransferred.map((n) => [n.path, n.reason]));
      assert.deepEqual(Object.keys(refused).sort(), ['../../evil.txt', '/absolute.txt', 'C:/drive.txt']);
      assert.match(refused['../../evil.txt']!, /^refused: the name contains "\.\."/);
      assert.match(refused['/absolute.txt']!, /absolute path/);
      assert.match(refused['C:/drive.txt']!, /drive letter/);
      assert.deepEqual(result.failed.map((f) => f.path), ['link/pwned.txt']);
      assert.match(result.failed[0]!.reason, /outside the chosen folder/);
      assert.deepEqual(readdirSync(outside), [], 'nothing was written through the link');
      assert.ok(!existsSync(path.join(sandbox, 'evil.txt')) && !existsSync(path.join(sandbox, 'a', 'evil.txt')));
      assert.ok(!allNames(work).some((n) => n.endsWith('evil.txt') || n.endsWith('absolute.txt') || n.endsWith('drive.txt')));
    });
  });

  for (const [datastore, kind] of [['workspaceblobstore', 'blob'], ['workspacefilestore', 'file']] as const) {
    it(`a missing ${kind} folder downloads nothing and says so; a file named as the folder says that; an empty one is just empty`, async () => {
      const storage = await h.storage(datastore);
      const target = path.join(work, `nothing-${kind}`);
      const missing = await downloadFromDatastore({ storage, remotePath: 'no/such/folder', localRoot: target, policy: 'overwrite' });
      assert.equal(missing.fatal?.message, `There is no folder "no/such/folder" in datastore "${datastore}": nothing was downloaded.`);
      assert.equal(summaryHeadline(missing), missing.fatal?.message);
      assert.equal(missing.transferred.files, 0);
      assert.ok(!existsSync(target), 'no local folder was made for it');

      await uploadToDatastore({ storage, localRoot: writeTreeIn(path.join(work, `one-file-${kind}`), { 'only.txt': 'x' }), targetPath: 'single', policy: 'overwrite' });
      const file = await downloadFromDatastore({ storage, remotePath: 'single/only.txt', localRoot: target, policy: 'overwrite' });
      assert.equal(file.fatal?.message, `"single/only.txt" in datastore "${datastore}" is a file, not a folder: download the folder it is in.`);
      assert.ok(!existsSync(target));

      if (storage.kind === 'file') {
        await storage.share.getDirectoryClient('empty-dir').createIfNotExists();
        const empty = await downloadFromDatastore({ storage, remotePath: 'empty-dir', localRoot: target, policy: 'overwrite' });
        assert.equal(empty.fatal, undefined);
        assert.deepEqual(readdirSync(target), [], 'an empty folder downloads as an empty folder');
      }
    });
  }
});
