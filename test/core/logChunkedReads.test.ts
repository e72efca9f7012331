/**
 * Reading a big log: range reads of bounded size against a loopback log storage (a real HTTP
 * server that records each Range header), lines handed on piece by piece, secrets masked even
 * when a piece ends inside one, and the CLI writing lines as they come.
 */
import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { RunDetails } from '../../src/azure/domain';
import { writeLines } from '../../src/cli/followRun';
import { defaultLogChunkBytes, fetchRange } from '../../src/core/logRangeReader';
import { RunLogTailer } from '../../src/core/runLogTailer';
import { StubServer, type RecordedRequest, type StubResponse } from '../azure/stubServer';

const secret = 'TopSecretSignature0123456789abcdef';

/** A log of about `size` bytes of numbered lines; one line carries a SAS whose `sig=` is cut by the byte `cutAt`. */
function bigLog(size: number, cutAt: number): { text: string; lines: string[] } {
  const lines: string[] = [];
  let length = 0;
  const add = (line: string): void => {
    lines.push(line);
    length += line.length + 1;
  };
  while (length < cutAt - 300) add(`step ${lines.length} loss=${(1 / (lines.length + 1)).toFixed(6)} ${'#'.repeat(lines.length % 40)}`);
  const url = 'uploading https://acct.blob.core.windows.net/data/train.csv';
  // The padding puts "?sig=" a few bytes before `cutAt`: the signature starts in the next piece.
  add(`${url}${'_'.repeat(cutAt - 3 - length - url.length)}?sig=${secret}&sp=r done`);
  while (length < size) add(`step ${lines.length} loss=${(1 / (lines.length + 1)).toFixed(6)} ${'#'.repeat(lines.length % 40)}`);
  return { text: `${lines.join('\n')}\n`, lines };
}

/** Answers ranged GETs of `log` as blob storage does (206 with Content-Range, 416 past the end). */
function servesRanges(log: Buffer): (request: RecordedRequest) => StubResponse {
  return (request) => {
    const match = /^bytes=(\d+)-(\d*)$/.exec(String(request.headers.range ?? ''));
    if (!match) return { status: 200, body: log.toString('latin1') };
    const start = Number(match[1]);
    if (start >= log.length) return { status: 416, headers: { 'content-range': `bytes */${log.length}` } };
    const end = Math.min(log.length - 1, match[2] ? Number(match[2]) : log.length - 1);
    return {
      status: 206,
      body: log.subarray(start, end + 1).toString('latin1'),
      headers: { 'content-range': `bytes ${start}-${end}/${log.length}` },
    };
  };
}

function finishedRun(logUrl: string): { getRunDetails(runId: string): Promise<RunDetails> } {
  return {
    getRunDetails: async (runId) => ({
      runId, status: 'Completed', warnings: [], properties: {}, tags: {}, logFiles: { 'user_logs/std_log.txt': logUrl },
    }),
  };
}

/** The ranges the reads asked for, checked to be well formed. */
function askedRanges(stub: StubServer): Array<{ start: number; end: number }> {
  return stub.requests.map((r) => {
    const match = /^bytes=(\d+)-(\d+)$/.exec(String(r.headers.range));
    assert.ok(match, `a read asked for an open-ended range: "${String(r.headers.range)}"`);
    return { start: Number(match[1]), end: Number(match[2]) };
  });
}

describe('reading a big log: bounded range reads, lines handed on as they come', function () {
  this.timeout(60_000);
  let stub: StubServer;
  before(async () => {
    stub = await StubServer.start();
  });
  after(async () => stub?.close());

  it('reads a log many pieces long completely and in order, never asking for more than one piece', async () => {
    const chunk = 64 * 1024;
    const { text, lines: expected } = bigLog(24 * chunk + 1234, chunk);
    const log = Buffer.from(text, 'latin1');
    stub.answer(servesRanges(log));
    const batches: number[] = [];
    const lines: string[] = [];
    const summary = await new RunLogTailer({
      runId: 'big', source: finishedRun(`${stub.url}/logs/std_log.txt?sig=abc`), logChunkBytes: chunk,
      listener: {
        onLines: (l) => {
          batches.push(l.reduce((sum, line) => sum + line.length + 1, 0));
          lines.push(...l);
        },
      },
    }).readOnce();

    const ranges = askedRanges(stub);
    for (const { start, end } of ranges) assert.ok(end - start + 1 <= chunk, `asked for ${end - start + 1} bytes at once`);
    assert.deepEqual(ranges.map((r) => r.start), Array.from({ length: ranges.length }, (_, i) => i * chunk), 'piece after piece, none twice');
    assert.ok(ranges.length >= 25, `${ranges.length} reads for a log of 25 pieces`);
    assert.equal(summary.logBytes, log.length);
    assert.equal(summary.bytesFetched, log.length);
    assert.equal(lines.length, expected.length);
    assert.deepEqual(lines, expected.map((line) => line.replace(secret, '***')), 'every line once, in order');
    assert.ok(batches.length >= 25, 'lines were handed on piece by piece');
    // A piece's lines, plus the end of the line the piece before it cut.
    assert.ok(Math.max(...batches) <= chunk + 1024, `one hand-over carried ${Math.max(...batches)} bytes of lines`);
  });

  it('masks a secret that the end of a piece cuts in two', async () => {
    const chunk = 4096;
    const { text } = bigLog(3 * chunk, chunk);
    const log = Buffer.from(text, 'latin1');
    assert.ok(text.indexOf(`?sig=${secret}`) < chunk && text.indexOf(secret) + secret.length > chunk, 'the signature straddles the piece boundary');
    stub.answer(servesRanges(log));
    const lines: string[] = [];
    await new RunLogTailer({
      runId: 'secret', source: finishedRun(`${stub.url}/logs/std_log.txt?sig=abc`), logChunkBytes: chunk,
      listener: { onLines: (l) => lines.push(...l) },
    }).readOnce();
    const line = lines.find((l) => l.includes('?sig='));
    assert.ok(line?.endsWith('?sig=***&sp=r done'), line);
    assert.ok(!lines.some((l) => l.includes(secret.slice(0, 8)) || l.includes(secret.slice(-8))), 'no part of the signature is shown');
  });

  it('reads pieces of 4 MiB by default', async () => {
    const log = Buffer.alloc(11 * Math.ceil((2 * defaultLogChunkBytes + 5000) / 11), 'abcdefghij\n');
    stub.answer(servesRanges(log));
    let count = 0;
    await new RunLogTailer({
      runId: 'default', source: finishedRun(`${stub.url}/logs/std_log.txt`), listener: { onLines: (l) => { count += l.length; } },
    }).readOnce();
    assert.deepEqual(stub.requests.map((r) => r.headers.range),
      [`bytes=0-${defaultLogChunkBytes - 1}`, `bytes=${defaultLogChunkBytes}-${2 * defaultLogChunkBytes - 1}`, `bytes=${2 * defaultLogChunkBytes}-${3 * defaultLogChunkBytes - 1}`]);
    assert.equal(count, log.length / 11);
  });

  it('keeps only the piece asked for when the storage ignores Range and sends the whole log', async () => {
    const log = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n'), 'latin1');
    stub.answer(() => ({ status: 200, body: log.toString('latin1'), headers: { 'content-length': String(log.length) } }));
    const read = await fetchRange(`${stub.url}/logs/std_log.txt`, 1000, undefined, 300);
    assert.equal(read.kind, 'data');
    assert.deepEqual(read.kind === 'data' ? Buffer.from(read.bytes) : undefined, log.subarray(1000, 1300));
    assert.equal(read.kind === 'data' ? read.size : undefined, log.length);
  });
});

describe('azml logs: writing a big log to stdout', () => {
  it('writes lines in bounded batches as they come, and waits while the output is full', async () => {
    const writes: number[] = [];
    let pendingCallbacks = 0;
    let mostQueued = 0;
    const slowPipe = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        writes.push(chunk.length);
        mostQueued = Math.max(mostQueued, this.writableLength);
        pendingCallbacks++;
        setTimeout(() => {
          pendingCallbacks--;
          callback();
        }, 1);
      },
    });
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 30)}`);
    await writeLines(slowPipe, lines);
    assert.ok(writes.length > 10, `${writes.length} writes`);
    assert.ok(Math.max(...writes) <= 64 * 1024 + 64, `one write carried ${Math.max(...writes)} bytes`);
    assert.ok(mostQueued <= 2 * (64 * 1024 + 64), `${mostQueued} bytes waited in the stream at once`);
    await new Promise<void>((resolve) => slowPipe.end(resolve));
    assert.equal(pendingCallbacks, 0);
    assert.equal(writes.reduce((a, b) => a + b, 0), lines.reduce((sum, line) => sum + line.length + 1, 0));
  });
});
