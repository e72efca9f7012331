import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { accountName, readAll, shareName, signedRawRequest, startHarness, type Harness } from './harness';

// Hand-made HTTP only where the SDK cannot express the request (it normalises `..` away).
describe('local file service: paths and error responses', () => {
  let harness: Harness;
  const share = shareName('raw');

  before(async () => {
    harness = await startHarness();
    const created = await signedRawRequest(harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}?restype=share`);
    assert.equal(created.status, 201, 'the hand-made signing works, so the rejections below are not signature failures');
  });

  after(async () => {
    await harness.dispose();
  });

  const escapes = [
    '../../escaped',
    '%2e%2e/%2e%2e/escaped',
    'inside/../../../escaped',
    '.',
    '..%2F..%2Fescaped',
    'inside%2f..%2f..%2f..%2fescaped',
    '%2F%2Fescaped',
    'a%5Cb',
    'nul%00byte',
    'bad%ZZencoding',
  ];
  for (const escape of escapes) {
    it(`rejects the path "${escape}" without touching the disk outside the data folder`, async () => {
      const before = await fs.readdir(path.dirname(harness.rootDir));
      const response = await signedRawRequest(
        harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}/${escape}?restype=directory`,
      );
      assert.equal(response.status, 400);
      assert.match(response.headers['x-ms-error-code'] as string, /^(InvalidUri|InvalidResourceName)$/);
      assert.deepEqual(await fs.readdir(path.dirname(harness.rootDir)), before);
    });
  }

  it('still has nothing in the share after the rejected requests', async () => {
    const names = [];
    for await (const entry of harness.client.getShareClient(share).rootDirectoryClient.listFilesAndDirectories()) names.push(entry.name);
    assert.deepEqual(names, []);
  });

  it('reads an encoded slash in a path as a separator, as Azure Files does (the Python and Go SDKs send `sub%2Ffile`)', async () => {
    const created = await signedRawRequest(harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}/sub?restype=directory`);
    assert.equal(created.status, 201);
    const nested = await signedRawRequest(harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}/sub%2Fdeeper%2F?restype=directory`);
    assert.equal(nested.status, 201, 'a trailing encoded slash is dropped, as a trailing slash is');
    const file = await signedRawRequest(harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}/sub%2fdeeper%2Fna%C3%AFve%20x.txt`, {
      'x-ms-type': 'file', 'x-ms-content-length': '3',
    });
    assert.equal(file.status, 201);
    const deeper = harness.client.getShareClient(share).getDirectoryClient('sub/deeper');
    const names = [];
    for await (const entry of deeper.listFilesAndDirectories()) names.push(entry.name);
    assert.deepEqual(names, ['naïve x.txt']);
    assert.equal((await deeper.getFileClient('naïve x.txt').getProperties()).contentLength, 3);
    const asDirectory = await signedRawRequest(harness.service, harness.accountKey, 'GET', `/${accountName}/${share}/sub%2Fdeeper%2Fna%C3%AFve%20x.txt?restype=directory`);
    assert.equal(asDirectory.status, 404, 'a file asked for as a directory is not found (az checks every uploaded path this way)');
    await deeper.getFileClient('naïve x.txt').delete();
    await deeper.delete();
    await harness.client.getShareClient(share).getDirectoryClient('sub').delete();
  });

  it('answers a wrong signature with 403, x-ms-error-code and an XML error body', async () => {
    const response = await signedRawRequest(harness.service, randomBytes(64).toString('base64'), 'GET', `/${accountName}/${share}?restype=share`);
    assert.equal(response.status, 403);
    assert.equal(response.headers['x-ms-error-code'], 'AuthenticationFailed');
    assert.ok(response.headers['x-ms-request-id']);
    assert.match(response.body, /^<\?xml version="1\.0" encoding="utf-8"\?><Error><Code>AuthenticationFailed<\/Code><Message>[^<]+<\/Message><\/Error>$/);
  });

  it('refuses a correctly signed request whose date is too old to replay', async () => {
    const old = new Date(Date.now() - 60 * 60 * 1000).toUTCString();
    const response = await signedRawRequest(harness.service, harness.accountKey, 'GET', `/${accountName}/${share}?restype=share`, { 'x-ms-date': old });
    assert.equal(response.status, 403);
    assert.equal(response.headers['x-ms-error-code'], 'AuthenticationFailed');
  });

  it('sends the headers the SDK reads on every response', async () => {
    const response = await signedRawRequest(harness.service, harness.accountKey, 'GET', `/${accountName}/${share}?restype=share`);
    assert.equal(response.status, 200);
    for (const name of ['x-ms-request-id', 'x-ms-version', 'date', 'etag', 'last-modified']) assert.ok(response.headers[name], name);
  });
});

describe('local file service: Create File with a body', () => {
  let harness: Harness;
  const share = shareName('body');
  const mib = 1024 * 1024;

  before(async () => {
    harness = await startHarness();
    assert.equal((await signedRawRequest(harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}?restype=share`)).status, 201);
  });

  after(async () => {
    await harness.dispose();
  });

  async function contentFiles(): Promise<string[]> {
    const dir = path.join(harness.rootDir, 'content');
    const shards = await fs.readdir(dir);
    return (await Promise.all(shards.map(async (shard) => fs.readdir(path.join(dir, shard))))).flat();
  }

  /**
   * `megabytes` MiB of one repeated 1 MiB block, made as it is read (the client holds 1 MiB). After
   * `pauseAfter` MiB it waits until `resume()` is called.
   */
  function pausingBody(block: Buffer, megabytes: number, pauseAfter: number): { body: Readable; paused: Promise<void>; resume(): void } {
    let sent = 0;
    let onPause = () => {};
    const paused = new Promise<void>((resolve) => {
      onPause = resolve;
    });
    const body = new Readable({
      read() {
        if (sent === pauseAfter) {
          onPause();
          return;
        }
        this.push(sent++ < megabytes ? block : null);
      },
    });
    return {
      body, paused,
      resume() {
        body.push(block);
        sent++;
      },
    };
  }

  async function readAt(file: string, offset: number, length: number): Promise<Buffer> {
    const handle = await fs.open(file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, offset);
      return buffer;
    } finally {
      await handle.close();
    }
  }

  it('streams a body over the 4 MiB range limit to disk as it arrives; a wrong MD5 is then refused and nothing is kept', async function () {
    this.timeout(60_000);
    const size = 64 * mib;
    const block = randomBytes(mib);
    const before = await contentFiles();
    const { body, paused, resume } = pausingBody(block, 64, 32);
    const answered = signedRawRequest(harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}/big.bin`, {
      'x-ms-type': 'file', 'x-ms-content-length': String(size), 'content-length': String(size),
      'content-md5': createHash('md5').update('something else').digest('base64'),
    }, body);

    // Half the body is sent; the service has it on disk, not in memory (allowing 8 MiB in flight).
    await paused;
    const shard = (name: string) => path.join(harness.rootDir, 'content', name.slice(0, 2), name);
    let written = false;
    for (const deadline = Date.now() + 10_000; !written && Date.now() < deadline;) {
      const created = (await contentFiles()).filter((name) => !before.includes(name));
      if (created.length === 1) written = (await readAt(shard(created[0]!), 24 * mib, mib)).equals(block);
      if (!written) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    resume();
    const response = await answered;
    assert.ok(written, 'the first half of the body was written to disk before the rest was sent');

    assert.equal(response.status, 400, response.body);
    assert.equal(response.headers['x-ms-error-code'], 'Md5Mismatch');
    assert.deepEqual(await contentFiles(), before, 'the new content is gone when the error is answered');
    const file = harness.client.getShareClient(share).rootDirectoryClient.getFileClient('big.bin');
    assert.equal(await file.exists(), false, 'no file was made');
  });

  it('keeps a body over 4 MiB whose MD5 matches', async () => {
    const body = randomBytes(5 * mib + 3);
    const created = await signedRawRequest(harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}/five.bin`, {
      'x-ms-type': 'file', 'x-ms-content-length': String(body.length + 10), 'content-length': String(body.length),
      'content-md5': createHash('md5').update(body).digest('base64'),
    }, body);
    assert.equal(created.status, 201, created.body);
    const file = harness.client.getShareClient(share).rootDirectoryClient.getFileClient('five.bin');
    const read = await readAll((await file.download()).readableStreamBody);
    assert.equal(read.length, body.length + 10, 'x-ms-content-length is the size; the rest is zeros');
    assert.ok(read.subarray(0, body.length).equals(body));
    assert.ok(read.subarray(body.length).equals(Buffer.alloc(10)));
  });
});
