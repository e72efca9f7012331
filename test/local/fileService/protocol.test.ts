import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { accountName, shareName, signedRawRequest, startHarness, type Harness } from './harness';

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
