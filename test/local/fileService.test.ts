import {
  AccountSASPermissions, AccountSASResourceTypes, ShareSASPermissions, ShareServiceClient,
} from '@azure/storage-file-share';
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import {
  accountName, clientFor, failureOf, readAll, runLimited, shareName, startHarness, type Harness,
} from './fileService/harness';

describe('local file service (Azure Files API, real SDK client)', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
  });

  after(async () => {
    await harness.dispose();
  });

  describe('shares', () => {
    it('creates a share, reports ShareAlreadyExists for a second create, and gets its properties', async () => {
      const share = harness.client.getShareClient(shareName());
      await share.create({ quota: 10, metadata: { purpose: 'tests' } });
      const again = await share.createIfNotExists();
      assert.equal(again.succeeded, false);
      assert.deepEqual(await failureOf(share.create()), { status: 409, code: 'ShareAlreadyExists' });

      const properties = await share.getProperties();
      assert.equal(properties.quota, 10);
      assert.deepEqual(properties.metadata, { purpose: 'tests' });
      assert.ok(properties.etag?.startsWith('"0x'));
      assert.ok(properties.lastModified instanceof Date);
    });

    it('lists shares page by page with a prefix', async () => {
      const prefix = `page-${randomBytes(3).toString('hex')}`;
      const names = Array.from({ length: 5 }, (_, i) => `${prefix}-${i}`);
      for (const name of names) await harness.client.getShareClient(name).create();

      const seen: string[] = [];
      let pages = 0;
      for await (const page of harness.client.listShares({ prefix }).byPage({ maxPageSize: 2 })) {
        pages++;
        seen.push(...(page.shareItems ?? []).map((item) => item.name));
      }
      assert.deepEqual(seen, names);
      assert.equal(pages, 3);
    });

    it('deletes a share with everything in it', async () => {
      const share = harness.client.getShareClient(shareName());
      await share.create();
      await share.getDirectoryClient('d').create();
      await share.getDirectoryClient('d').getFileClient('f.txt').uploadData(Buffer.from('x'));
      await share.delete();
      assert.deepEqual(await failureOf(share.getProperties()), { status: 404, code: 'ShareNotFound' });
      assert.equal((await share.deleteIfExists()).succeeded, false);
    });
  });

  describe('directories', () => {
    const name = shareName('dirs');
    before(async () => {
      await harness.client.getShareClient(name).create();
    });

    it('creates nested directories; an empty directory exists and lists as empty', async () => {
      const share = harness.client.getShareClient(name);
      await share.getDirectoryClient('outer').create();
      const inner = share.getDirectoryClient('outer/inner');
      await inner.create();
      assert.equal(await inner.exists(), true);
      const properties = await inner.getProperties();
      assert.ok(properties.fileAttributes?.includes('Directory'));
      const entries = [];
      for await (const entry of inner.listFilesAndDirectories()) entries.push(entry);
      assert.deepEqual(entries, []);
    });

    it('answers ResourceAlreadyExists, ParentNotFound and DirectoryNotEmpty like Azure Files', async () => {
      const share = harness.client.getShareClient(name);
      const directory = share.getDirectoryClient('conflicts');
      await directory.create();
      assert.deepEqual(await failureOf(directory.create()), { status: 409, code: 'ResourceAlreadyExists' });
      assert.equal((await directory.createIfNotExists()).succeeded, false);
      assert.deepEqual(await failureOf(share.getDirectoryClient('missing/child').create()), { status: 404, code: 'ParentNotFound' });

      await directory.getFileClient('keep.txt').create(0);
      assert.deepEqual(await failureOf(directory.delete()), { status: 409, code: 'DirectoryNotEmpty' });
      await directory.getFileClient('keep.txt').delete();
      await directory.delete();
      assert.equal(await directory.exists(), false);
      assert.equal((await directory.deleteIfExists()).succeeded, false);
    });

    it('treats names case-insensitively, keeping the spelling, as Azure Files does', async () => {
      const share = harness.client.getShareClient(name);
      await share.getDirectoryClient('MixedCase').create();
      assert.deepEqual(await failureOf(share.getDirectoryClient('mixedcase').create()), { status: 409, code: 'ResourceAlreadyExists' });
      const names = [];
      for await (const entry of share.rootDirectoryClient.listFilesAndDirectories({ prefix: 'mixed' })) names.push(entry.name);
      assert.deepEqual(names, ['MixedCase']);
    });

    it('lists files and directories across pages with prefix, maxresults and markers', async () => {
      const directory = harness.client.getShareClient(name).getDirectoryClient('listing');
      await directory.create();
      const fileNames = Array.from({ length: 23 }, (_, i) => `file-${String(i).padStart(2, '0')}.txt`);
      const directoryNames = ['dir-a', 'dir-b', 'dir-c'];
      await runLimited(16, fileNames.map((file) => () => directory.getFileClient(file).uploadData(Buffer.from(file))));
      for (const sub of directoryNames) await directory.getDirectoryClient(sub).create();
      await directory.getFileClient('other.bin').create(1);

      const seenFiles: string[] = [];
      const seenDirectories: string[] = [];
      let pages = 0;
      for await (const page of directory.listFilesAndDirectories({ prefix: 'file-' }).byPage({ maxPageSize: 5 })) {
        pages++;
        assert.ok(page.segment.fileItems.length + page.segment.directoryItems.length <= 5);
        seenFiles.push(...page.segment.fileItems.map((item) => item.name));
      }
      assert.equal(pages, 5);
      assert.deepEqual(seenFiles, fileNames);

      for await (const entry of directory.listFilesAndDirectories({ prefix: 'dir-' })) {
        assert.equal(entry.kind, 'directory');
        seenDirectories.push(entry.name);
      }
      assert.deepEqual(seenDirectories, directoryNames);

      const all = [];
      for await (const entry of directory.listFilesAndDirectories({ includeTimestamps: true, includeEtag: true, includeExtendedInfo: true })) {
        all.push(entry);
      }
      assert.equal(all.length, 27);
      const sized = all.find((entry) => entry.name === 'file-07.txt');
      assert.ok(sized?.kind === 'file');
      assert.equal(sized.properties.contentLength, 'file-07.txt'.length);
      assert.ok(sized.properties.etag?.startsWith('"0x'));
      assert.ok(sized.properties.lastWriteTime instanceof Date);
      assert.ok(sized.fileId);
    });
  });

  describe('files', () => {
    const name = shareName('files');
    before(async () => {
      await harness.client.getShareClient(name).create();
    });

    const fileClient = (filePath: string) => harness.client.getShareClient(name).rootDirectoryClient.getFileClient(filePath);

    it('uploads with uploadData in several ranges (> 4 MiB) and downloads the same bytes', async () => {
      const data = randomBytes(9 * 1024 * 1024 + 7);
      const file = fileClient('big-data.bin');
      await file.uploadData(data);
      assert.ok(data.equals(await file.downloadToBuffer()));
      const download = await file.download();
      assert.equal(download.contentLength, data.length);
      assert.ok(data.equals(await readAll(download.readableStreamBody)));
    });

    it('uploads with uploadFile and uploadStream and downloads them to a file', async () => {
      const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-upload-'));
      try {
        const data = randomBytes(6 * 1024 * 1024 + 3);
        const source = path.join(temp, 'source.bin');
        await fs.writeFile(source, data);
        const fromFile = fileClient('from-file.bin');
        await fromFile.uploadFile(source);
        const target = path.join(temp, 'target.bin');
        await fromFile.downloadToFile(target);
        assert.ok(data.equals(await fs.readFile(target)));

        const fromStream = fileClient('from-stream.bin');
        await fromStream.uploadStream(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), data.length, 4 * 1024 * 1024, 4);
        assert.ok(data.equals(await fromStream.downloadToBuffer()));
      } finally {
        await fs.rm(temp, { recursive: true, force: true });
      }
    });

    it('serves ranged downloads, with the range MD5 on request, and InvalidRange past the end', async () => {
      const data = randomBytes(100_000);
      const file = fileClient('ranged.bin');
      await file.uploadData(data);
      const part = await file.download(1000, 5000, { rangeGetContentMD5: true });
      assert.equal(part.contentLength, 5000);
      assert.equal(part.contentRange, `bytes 1000-5999/${data.length}`);
      assert.ok(data.subarray(1000, 6000).equals(await readAll(part.readableStreamBody)));
      assert.deepEqual(Buffer.from(part.contentMD5!), createHash('md5').update(data.subarray(1000, 6000)).digest());
      assert.ok(data.subarray(99_990).equals(await file.downloadToBuffer(99_990)));
      assert.deepEqual(await failureOf(file.download(200_000, 10)), { status: 416, code: 'InvalidRange' });
    });

    it('keeps an empty file as an empty file', async () => {
      const file = fileClient('empty.txt');
      await file.create(0);
      const properties = await file.getProperties();
      assert.equal(properties.contentLength, 0);
      assert.equal((await readAll((await file.download()).readableStreamBody)).length, 0);
      await fileClient('empty-upload.txt').uploadData(Buffer.alloc(0));
      assert.equal((await fileClient('empty-upload.txt').getProperties()).contentLength, 0);
    });

    it('stores content headers, the content MD5 and metadata, and resizes', async () => {
      const data = Buffer.from('hello, properties');
      const md5 = createHash('md5').update(data).digest();
      const file = fileClient('props.txt');
      // Metadata names chosen so the canonicalized headers need Azure's header order to verify
      // (the SDK sends names lower-cased).
      const metadata = { a1: 'one', a_b: 'two', ab: 'three', z9: 'four' };
      await file.uploadData(data, {
        fileHttpHeaders: { fileContentType: 'text/plain', fileContentMD5: md5, fileCacheControl: 'no-cache' },
        metadata,
      });
      const properties = await file.getProperties();
      assert.equal(properties.contentLength, data.length);
      assert.equal(properties.contentType, 'text/plain');
      assert.equal(properties.cacheControl, 'no-cache');
      assert.deepEqual(Buffer.from(properties.contentMD5!), md5);
      assert.deepEqual(properties.metadata, metadata);
      const download = await file.download();
      assert.equal(download.contentType, 'text/plain');
      assert.deepEqual(Buffer.from(download.contentMD5!), md5);

      await file.resize(5);
      assert.equal((await file.getProperties()).contentLength, 5);
      assert.equal((await file.downloadToBuffer()).toString(), 'hello');
      await file.resize(8);
      assert.deepEqual(await file.downloadToBuffer(), Buffer.from([...Buffer.from('hello'), 0, 0, 0]));

      await file.setHttpHeaders({ fileContentType: 'application/json' });
      assert.equal((await file.getProperties()).contentType, 'application/json');
      await file.setMetadata({ replaced: 'yes' });
      assert.deepEqual((await file.getProperties()).metadata, { replaced: 'yes' });
    });

    it('checks a range Content-MD5, clears ranges, and rejects writes past the end', async () => {
      const file = fileClient('ranges.bin');
      await file.create(10);
      const body = Buffer.from('abcd');
      assert.deepEqual(
        await failureOf(file.uploadRange(body, 0, 4, { contentMD5: createHash('md5').update('wxyz').digest() })),
        { status: 400, code: 'Md5Mismatch' },
      );
      await file.uploadRange(body, 2, 4, { contentMD5: createHash('md5').update(body).digest() });
      await file.uploadRange(Buffer.from('ZZ'), 8, 2);
      assert.deepEqual(await file.downloadToBuffer(), Buffer.from([0, 0, ...body, 0, 0, ...Buffer.from('ZZ')]));
      await file.clearRange(3, 2);
      assert.deepEqual(await file.downloadToBuffer(), Buffer.from([0, 0, 0x61, 0, 0, 0x64, 0, 0, 0x5a, 0x5a]));
      assert.deepEqual(await failureOf(file.uploadRange(body, 8, 4)), { status: 416, code: 'InvalidRange' });
    });

    it('replaces a file on create and deletes files', async () => {
      const file = fileClient('replace.txt');
      await file.uploadData(Buffer.from('first version'));
      await file.uploadData(Buffer.from('2nd'));
      assert.equal((await file.downloadToBuffer()).toString(), '2nd');
      await file.delete();
      assert.equal(await file.exists(), false);
      assert.deepEqual(await failureOf(file.download()), { status: 404, code: 'ResourceNotFound' });
      assert.equal((await file.deleteIfExists()).succeeded, false);
      assert.deepEqual(await failureOf(fileClient('no-such-dir/file.txt').create(1)), { status: 404, code: 'ParentNotFound' });
    });

    it('renames files and directories', async () => {
      const share = harness.client.getShareClient(name);
      const folder = share.getDirectoryClient('rename-src');
      await folder.create();
      await folder.getFileClient('a.txt').uploadData(Buffer.from('moved'));
      const { destinationFileClient } = await folder.getFileClient('a.txt').rename('rename-src/b.txt');
      assert.equal((await destinationFileClient.downloadToBuffer()).toString(), 'moved');
      assert.equal(await folder.getFileClient('a.txt').exists(), false);

      const { destinationDirectoryClient } = await folder.rename('rename-dst');
      assert.equal((await destinationDirectoryClient.getFileClient('b.txt').downloadToBuffer()).toString(), 'moved');
      assert.equal(await folder.exists(), false);
    });
  });

  describe('names', () => {
    it('round-trips spaces, #, %, ?, quotes, unicode and deep nesting', async () => {
      const share = harness.client.getShareClient(shareName('names'));
      await share.create();
      const directoryPath = ['dir with space', 'hash#dir', 'pct%41dir', 'q?dir', 'ünï-文件', 'a', 'b', 'c', 'd', 'e', 'f', 'g'];
      let directory = share.rootDirectoryClient;
      for (const part of directoryPath) {
        directory = directory.getDirectoryClient(part);
        await directory.create();
      }
      const names = [
        'with space.txt', 'hash#.txt', 'percent%.txt', 'percent%20literal.txt', 'question?.txt', 'plus+.txt',
        'amp&lt<gt>"quote\'.txt', 'brackets[]{}^`|~!@$:*.txt', 'emoji-😀.txt', 'ﬁ-ligature-Ω.txt', '  leading spaces', 'semi;colon=eq,comma.txt',
        // Not representable in XML: listed with Encoded="true", which the SDK decodes.
        'noncharacter-\uFFFF.txt',
      ];
      for (const file of names) await directory.getFileClient(file).uploadData(Buffer.from(`content of ${file}`));

      const listed = [];
      for await (const entry of directory.listFilesAndDirectories()) listed.push(entry.name);
      assert.deepEqual([...listed].sort(), [...names].sort());
      for (const file of names) {
        assert.equal((await directory.getFileClient(file).downloadToBuffer()).toString(), `content of ${file}`);
      }

      // Walk down again from the root by listing, as a browser of the share would.
      let walker = share.rootDirectoryClient;
      for (const part of directoryPath) {
        const children = [];
        for await (const entry of walker.listFilesAndDirectories()) children.push(entry.name);
        assert.deepEqual(children, [part]);
        walker = walker.getDirectoryClient(part);
      }
    });
  });

  describe('authentication', () => {
    it('rejects a client with a wrong account key with 403 AuthenticationFailed', async () => {
      const share = harness.client.getShareClient(shareName('auth'));
      await share.create();
      const wrong = clientFor(harness.service.url, randomBytes(64).toString('base64')).getShareClient(share.name);
      assert.deepEqual(await failureOf(wrong.rootDirectoryClient.getFileClient('x.txt').create(10)), { status: 403, code: 'AuthenticationFailed' });
      assert.deepEqual(await failureOf(wrong.getDirectoryClient('d').create()), { status: 403, code: 'AuthenticationFailed' });
      assert.deepEqual(await failureOf(wrong.getProperties()), { status: 403, code: 'AuthenticationFailed' });
      assert.equal(await share.rootDirectoryClient.getFileClient('x.txt').exists(), false);
    });

    it('works with a connection string naming the FileEndpoint', async () => {
      const connectionString = `DefaultEndpointsProtocol=http;AccountName=${accountName};AccountKey=${harness.accountKey};`
        + `FileEndpoint=${harness.service.url};`;
      const viaConnectionString = ShareServiceClient.fromConnectionString(connectionString);
      const share = viaConnectionString.getShareClient(shareName('conn'));
      await share.create();
      await share.rootDirectoryClient.getFileClient('c.txt').uploadData(Buffer.from('connected'));
      assert.equal((await share.rootDirectoryClient.getFileClient('c.txt').downloadToBuffer()).toString(), 'connected');
    });

    it('rejects unsigned requests with 403', async () => {
      const anonymous = new ShareServiceClient(harness.service.url, undefined, { retryOptions: { maxTries: 1 } });
      assert.deepEqual(await failureOf(anonymous.getShareClient(shareName()).create()), { status: 403, code: 'AuthenticationFailed' });
    });

    it('accepts SAS tokens signed with the account key, within their permissions', async () => {
      const share = harness.client.getShareClient(shareName('sas'));
      await share.create();
      const expiresOn = new Date(Date.now() + 60 * 60 * 1000);

      const accountSasUrl = harness.client.generateAccountSasUrl(
        expiresOn, AccountSASPermissions.parse('rwdlc'), AccountSASResourceTypes.parse('sco').toString(),
      );
      const viaAccountSas = new ShareServiceClient(accountSasUrl, undefined, { retryOptions: { maxTries: 1 } });
      await viaAccountSas.getShareClient(share.name).rootDirectoryClient.getFileClient('sas.txt').uploadData(Buffer.from('via sas'));

      const readOnlyUrl = share.generateSasUrl({ permissions: ShareSASPermissions.parse('rl'), expiresOn });
      const readOnly = new ShareServiceClient(readOnlyUrl.replace(`/${share.name}?`, '?'), undefined, { retryOptions: { maxTries: 1 } })
        .getShareClient(share.name);
      assert.equal((await readOnly.rootDirectoryClient.getFileClient('sas.txt').downloadToBuffer()).toString(), 'via sas');
      assert.deepEqual(
        await failureOf(readOnly.rootDirectoryClient.getFileClient('nope.txt').create(1)),
        { status: 403, code: 'AuthorizationPermissionMismatch' },
      );

      const forgedUrl = accountSasUrl.replace(/sig=[^&]+/, `sig=${encodeURIComponent(randomBytes(32).toString('base64'))}`);
      const forged = new ShareServiceClient(forgedUrl, undefined, { retryOptions: { maxTries: 1 } });
      assert.deepEqual(await failureOf(forged.getShareClient(share.name).getProperties()), { status: 403, code: 'AuthenticationFailed' });
    });
  });

  describe('concurrency', () => {
    it('handles 64 uploads at once and lists every file', async () => {
      const share = harness.client.getShareClient(shareName('many'));
      await share.create();
      const directory = share.getDirectoryClient('batch');
      await directory.create();
      const files = Array.from({ length: 400 }, (_, i) => ({ name: `f${i}.txt`, data: randomBytes(100 + (i % 50)) }));
      await runLimited(64, files.map(({ name, data }) => () => directory.getFileClient(name).uploadData(data)));

      let count = 0;
      for await (const entry of directory.listFilesAndDirectories()) if (entry.kind === 'file') count++;
      assert.equal(count, files.length);
      const downloads = await runLimited(64, files.map(({ name }) => () => directory.getFileClient(name).downloadToBuffer()));
      downloads.forEach((bytes, i) => assert.ok(bytes.equals(files[i]!.data)));
      const statistics = await share.getStatistics();
      assert.equal(statistics.shareUsageBytes, files.reduce((total, { data }) => total + data.length, 0));
    });
  });

  it('answers service properties, so a connection check works', async () => {
    const properties = await harness.client.getProperties();
    assert.equal(properties.hourMetrics?.enabled, false);
  });

  it('serves the account URL it reports', () => {
    assert.match(harness.service.url, new RegExp(`^http://127\\.0\\.0\\.1:${harness.service.port}/${accountName}$`));
  });
});
