import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readWholeFile, WholeFileBuffers } from '../../src/core/transfer/localFiles';

describe('transfer: files read whole into reused buffers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'azml-whole-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, bytes: Buffer): string => {
    const full = path.join(dir, name);
    writeFileSync(full, bytes);
    return full;
  };
  const content = (size: number, seed: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 251));

  /** A file that grew since it was found is read as it is now; one that shrank, as far as it goes. */
  async function assertReadAsItIsNow(buffers: WholeFileBuffers, name: string, size: number, shrunkTo: number, seed: number): Promise<void> {
    const grown = file(`${name}-grown.bin`, content(size, seed));
    appendFileSync(grown, Buffer.from('more'));
    assert.equal((await readWholeFile(grown, size, buffers)).length, size + 4);
    const shrunk = file(`${name}-shrunk.bin`, content(size, seed + 1));
    truncateSync(shrunk, shrunkTo);
    assert.ok((await readWholeFile(shrunk, size, buffers)).equals(content(size, seed + 1).subarray(0, shrunkTo)));
  }

  it('reads each file exactly, also into a buffer given back after an earlier, larger file', async () => {
    const buffers = new WholeFileBuffers(64 * 1024 * 1024);
    const first = content(300_000, 1);
    const second = content(280_000, 2);
    const a = await readWholeFile(file('a.bin', first), first.length, buffers);
    assert.ok(a.equals(first));
    const backing = a.buffer;
    buffers.give(a);
    const b = await readWholeFile(file('b.bin', second), second.length, buffers);
    assert.ok(b.buffer === backing, 'the buffer was reused');
    assert.equal(b.length, second.length);
    assert.ok(b.equals(second), 'nothing of the earlier file shows through');
  });

  it('a file that grew since it was found is read as it is now; one that shrank, as far as it goes', async () => {
    await assertReadAsItIsNow(new WholeFileBuffers(64 * 1024 * 1024), 'large', 150_000, 100_000, 3);
  });

  it('reads small files synchronously into reused buffers, exactly, also when they grew, shrank or are empty', async () => {
    const buffers = new WholeFileBuffers(64 * 1024 * 1024, 4 * 1024);
    const first = content(4096, 6);
    const a = await readWholeFile(file('s1.bin', first), first.length, buffers);
    assert.ok(a.equals(first));
    buffers.give(a);
    const second = content(3000, 7);
    const b = await readWholeFile(file('s2.bin', second), second.length, buffers);
    assert.ok(b.buffer === a.buffer, 'the buffer was reused');
    assert.ok(b.equals(second), 'nothing of the earlier file shows through');
    await assertReadAsItIsNow(buffers, 'small', 2000, 1500, 8);
    assert.equal((await readWholeFile(file('empty.bin', Buffer.alloc(0)), 0, buffers)).length, 0);
    await assert.rejects(readWholeFile(path.join(dir, 'gone.bin'), 10, buffers), { code: 'ENOENT' });
  });

  it('keeps at most its limit free, and never takes in a buffer it did not make', async () => {
    const buffers = new WholeFileBuffers(256 * 1024);
    const x = buffers.take(200_000);
    const y = buffers.take(200_000);
    buffers.give(x);
    buffers.give(y);
    assert.ok(buffers.take(200_000).buffer === x.buffer);
    assert.ok(buffers.take(200_000).buffer !== y.buffer, 'the second was over the limit and left to the GC');
    const foreign = Buffer.alloc(256 * 1024);
    buffers.give(foreign);
    assert.ok(buffers.take(200_000).buffer !== foreign.buffer);
  });

  it('a canceled read gives its buffer back and says so', async () => {
    const buffers = new WholeFileBuffers(64 * 1024 * 1024);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readWholeFile(file('c.bin', content(150_000, 5)), 150_000, buffers, controller.signal), { name: 'AbortError' });
  });
});
