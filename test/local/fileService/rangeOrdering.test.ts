import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { ShareFileClient } from '@azure/storage-file-share';
import { accountName, readAll, shareName, signedRawRequest, startHarness, type Harness, type RawResponse } from './harness';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A Put Range whose body arrives in two parts; the second only when `finish()` is called. */
interface SlowRange {
  response: Promise<RawResponse>;
  finish(): void;
}

function slowPutRange(harness: Harness, share: string, file: string, offset: number, first: Buffer, second: Buffer): SlowRange {
  const body = new PassThrough();
  const length = first.length + second.length;
  const response = signedRawRequest(harness.service, harness.accountKey, 'PUT', `/${accountName}/${share}/${file}?comp=range`, {
    'x-ms-write': 'update',
    'x-ms-range': `bytes=${offset}-${offset + length - 1}`,
    'content-length': String(length),
  }, body);
  body.write(first);
  return { response, finish: () => body.end(second) };
}

/** The content file on disk of the only file the service holds (content files are named by id, under `content/<xx>/`). */
async function onlyContentFile(rootDir: string): Promise<string> {
  const contentDir = path.join(rootDir, 'content');
  const found: string[] = [];
  for (const shard of await fs.readdir(contentDir)) {
    for (const name of await fs.readdir(path.join(contentDir, shard))) found.push(path.join(contentDir, shard, name));
  }
  assert.equal(found.length, 1, 'one file, one content file');
  return found[0]!;
}

async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`);
    await delay(10);
  }
}

async function downloaded(file: ShareFileClient): Promise<Buffer> {
  return readAll((await file.download()).readableStreamBody);
}

/**
 * A Put Range and a resize of the same file are ordered, as in Azure Files: a shrink made while a
 * range is still streaming in never lets that range's bytes land past the new end, and is not held
 * up by the range's sender.
 */
describe('local file service: Put Range racing a resize', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness();
  });

  afterEach(async () => {
    await harness.dispose();
  });

  async function fileOf16Bytes(): Promise<{ share: string; file: ShareFileClient }> {
    const share = shareName('race');
    const shareClient = harness.client.getShareClient(share);
    await shareClient.create();
    const file = shareClient.rootDirectoryClient.getFileClient('data.bin');
    await file.create(16);
    await file.uploadRange(Buffer.alloc(16, 'A'), 0, 16);
    return { share, file };
  }

  it('a shrink made while a range is streaming in is served at once; the range, once in, is refused, and size, download and disk agree', async () => {
    const { share, file } = await fileOf16Bytes();
    const contentFile = await onlyContentFile(harness.rootDir);

    const range = slowPutRange(harness, share, 'data.bin', 8, Buffer.from('BBBB'), Buffer.from('CCCC'));
    await delay(200);
    // Not held up by the range's slow sender.
    await file.resize(4);
    range.finish();
    const rangeResponse = await range.response;
    assert.equal(rangeResponse.status, 416, rangeResponse.body);
    assert.equal(rangeResponse.headers['x-ms-error-code'], 'InvalidRange');

    assert.equal((await file.getProperties()).contentLength, 4);
    assert.deepEqual(await downloaded(file), Buffer.from('AAAA'));
    assert.equal((await fs.stat(contentFile)).size, 4, 'the content file on disk is as long as the file');

    await file.resize(16);
    assert.deepEqual(await downloaded(file), Buffer.concat([Buffer.from('AAAA'), Buffer.alloc(12)]),
      'no byte of the range survives past the shrink: the grown part reads as zeros');
  });

  it('a range that starts after a shrink is refused with 416 InvalidRange and writes nothing', async () => {
    const { share, file } = await fileOf16Bytes();
    const contentFile = await onlyContentFile(harness.rootDir);
    await file.resize(4);
    const range = slowPutRange(harness, share, 'data.bin', 8, Buffer.from('BBBB'), Buffer.from('CCCC'));
    range.finish();
    const response = await range.response;
    assert.equal(response.status, 416);
    assert.equal(response.headers['x-ms-error-code'], 'InvalidRange');
    assert.equal((await fs.stat(contentFile)).size, 4);
  });

  it('a file replaced by Create File while a range streams in keeps none of that range', async () => {
    const { share, file } = await fileOf16Bytes();
    const contentFile = await onlyContentFile(harness.rootDir);
    const range = slowPutRange(harness, share, 'data.bin', 8, Buffer.from('BBBB'), Buffer.from('CCCC'));
    await delay(200); // its first part is sent

    await file.create(16);
    range.finish();
    const response = await range.response;
    assert.equal(response.status, 404, 'the file the range was written to is gone');
    assert.equal(response.headers['x-ms-error-code'], 'ResourceNotFound');
    assert.deepEqual(await downloaded(file), Buffer.alloc(16), 'the new file is all zeros');
    await waitUntil(async () => fs.stat(contentFile).then(() => false, () => true), 'the replaced content is removed');
  });

  it('keeps ranges of one file concurrent: a range completes while another is still streaming in', async () => {
    const { share, file } = await fileOf16Bytes();
    const slow = slowPutRange(harness, share, 'data.bin', 8, Buffer.from('BBBB'), Buffer.from('CCCC'));
    await delay(200); // its first part is sent

    await file.uploadRange(Buffer.from('DDDD'), 0, 4);
    slow.finish();
    assert.equal((await slow.response).status, 201);
    assert.deepEqual(await downloaded(file), Buffer.from('DDDDAAAABBBBCCCC'));
  });
});
