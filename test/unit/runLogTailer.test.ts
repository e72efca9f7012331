import * as assert from 'node:assert/strict';
import type { RunDetails } from '../../src/azure/domain';
import { LineSplitter } from '../../src/core/lineSplitter';
import type { RangeReader } from '../../src/core/logRangeReader';
import { RunLogTailer, selectStdLogs, type RunLogSchedule } from '../../src/core/runLogTailer';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('LineSplitter', () => {
  it('keeps a partial line until its newline arrives, and never repeats one', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push(bytes('first\nsec')), ['first']);
    assert.equal(s.hasPartialLine, true);
    assert.deepEqual(s.push(bytes('ond\r\nthird')), ['second']);
    assert.deepEqual(s.push(bytes('\n')), ['third']);
    assert.deepEqual(s.flush(), []);
  });

  it('decodes a UTF-8 character cut in two by a read', () => {
    const s = new LineSplitter();
    const all = bytes('naïve ✓\n');
    const lines = [...s.push(all.subarray(0, 3)), ...s.push(all.subarray(3, 9)), ...s.push(all.subarray(9))];
    assert.deepEqual(lines, ['naïve ✓']);
  });

  it('hands out an unterminated last line at the end', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push(bytes('a\n\nb')), ['a', '']);
    assert.deepEqual(s.flush(), ['b']);
  });

  it('shows a progress bar redrawn with \\r as its latest state on each read, before its line ends', () => {
    const s = new LineSplitter();
    // tqdm writes "\r" and then the bar; the redraws of one read collapse to the newest complete one.
    assert.deepEqual(s.push(bytes('epoch 1\n\r  0%|     | 0/4\r 25%|#    | 1/4\r 50%|##')), ['epoch 1', ' 25%|#    | 1/4']);
    assert.equal(s.hasPartialLine, true);
    assert.deepEqual(s.push(bytes('   | 2/4\r 75%|###  | 3/4')), [' 50%|##   | 2/4']);
    assert.deepEqual(s.push(bytes('\r100%|#####| 4/4\nloss 0.1\n')), ['100%|#####| 4/4', 'loss 0.1']);
    assert.deepEqual(s.flush(), []);
  });

  it('tells a CRLF line end from a redraw even when a read ends between \\r and \\n', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push(bytes('windows line\r')), []);
    assert.equal(s.hasPartialLine, true);
    assert.deepEqual(s.push(bytes('\nnext\r')), ['windows line']);
    assert.deepEqual(s.push(bytes('redrawn')), ['next']);
    assert.deepEqual(s.flush(), ['redrawn']);
    const t = new LineSplitter();
    assert.deepEqual(t.push(bytes('a\r\nb\r\n')), ['a', 'b']);
    assert.deepEqual(t.push(bytes('bar\r')), []);
    assert.deepEqual(t.flush(), ['bar'], 'a last \\r at the end of the stream ends the line');
  });

  it('hands out a line with no end in bounded pieces, never splitting a character', () => {
    const s = new LineSplitter(16);
    // Dots with no newline, as `print(".", end="")` writes them, then a multi-byte character at a cut.
    assert.deepEqual(s.push(bytes('.'.repeat(10))), []);
    assert.deepEqual(s.push(bytes('.'.repeat(10))), ['.'.repeat(16)]);
    assert.deepEqual(s.push(bytes(`${'.'.repeat(11)}✓✓`)), ['.'.repeat(15)], 'cut before the character that would not fit whole');
    assert.deepEqual(s.push(bytes('✓✓✓✓')), ['✓✓✓✓✓']);
    assert.deepEqual(s.flush(), ['✓']);
    const spaced = new LineSplitter(16);
    assert.deepEqual(spaced.push(bytes('aaaaaaaaaa bbbbbbbbbbbbb')), ['aaaaaaaaaa '], 'cut after a space when there is one');
    assert.deepEqual(spaced.flush(), ['bbbbbbbbbbbbb']);
  });
});

describe('selectStdLogs', () => {
  it('follows std_log (rank 0 of a distributed run), not other logs', () => {
    assert.deepEqual(selectStdLogs({
      'user_logs/std_log_process_1.txt': 'u', 'user_logs/std_log_process_0.txt': 'u', 'system_logs/x.txt': 'u',
    }), ['user_logs/std_log_process_0.txt']);
    assert.deepEqual(selectStdLogs({ 'user_logs/std_log.txt': 'u' }), ['user_logs/std_log.txt']);
    assert.deepEqual(selectStdLogs({ 'azureml-logs/70_driver_log.txt': 'u' }), ['azureml-logs/70_driver_log.txt']);
  });
});

/** A run that moves on as the test says: its status, and one log blob that grows. */
class ScriptedRun {
  status = 'NotStarted';
  log = new Uint8Array(0);
  logListed = false;
  detailsCalls = 0;
  /** Answer 200 with the whole blob, as a server that ignores Range would. */
  ignoreRange = false;
  bytesSent = 0;
  /** The byte counts each read asked for. */
  readonly asked: number[] = [];

  append(text: string): void {
    const more = bytes(text);
    const next = new Uint8Array(this.log.length + more.length);
    next.set(this.log);
    next.set(more, this.log.length);
    this.log = next;
  }

  readonly source = {
    getRunDetails: async (runId: string): Promise<RunDetails> => {
      this.detailsCalls++;
      return {
        runId, status: this.status, warnings: [], properties: {}, tags: {},
        logFiles: this.logListed ? { 'user_logs/std_log.txt': `https://logs.example/${this.detailsCalls}?sig=secret` } : {},
        ...(this.status === 'Failed' ? { error: { code: 'UserError', message: 'exit code 3' } } : {}),
      };
    },
  };

  readonly readRange: RangeReader = async (_url, offset, _signal, maxBytes = Number.POSITIVE_INFINITY) => {
    this.asked.push(maxBytes);
    if (this.ignoreRange) {
      this.bytesSent += this.log.length;
      const tail = this.log.subarray(offset);
      return tail.length > 0 ? { kind: 'data', bytes: tail, fetchedBytes: this.log.length } : { kind: 'none', fetchedBytes: this.log.length };
    }
    if (offset >= this.log.length) return { kind: 'none', fetchedBytes: 0 };
    const tail = this.log.slice(offset, offset + maxBytes);
    this.bytesSent += tail.length;
    return { kind: 'data', bytes: tail, fetchedBytes: tail.length, size: this.log.length };
  };
}

const fast: Partial<RunLogSchedule> = { logMinMs: 5, logMaxMs: 40, detailsMinMs: 5, detailsMaxMs: 80, detailsWhileOutputMs: 20 };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function follow(run: ScriptedRun, schedule: Partial<RunLogSchedule> = fast, logChunkBytes?: number) {
  const lines: string[] = [];
  const statuses: string[] = [];
  const tailer = new RunLogTailer({
    runId: 'job1', source: run.source, readRange: run.readRange, schedule, ...(logChunkBytes ? { logChunkBytes } : {}),
    listener: { onLines: (l) => lines.push(...l), onStatus: ({ status }) => statuses.push(status) },
  });
  const controller = new AbortController();
  const done = tailer.follow(controller.signal);
  return { lines, statuses, done, controller };
}

describe('RunLogTailer', () => {
  it('shows each line once, in order, whatever the reads cut, and the last partial line at the end', async () => {
    const run = new ScriptedRun();
    const tail = follow(run);
    await tick(30);
    run.status = 'Running';
    run.logListed = true;
    const expected: string[] = [];
    for (let i = 0; i < 40; i++) {
      const line = `line ${i} ${'x'.repeat(i % 7)}`;
      expected.push(line);
      // Writes cut lines anywhere: half a line now, the rest with the next one.
      const text = `${line}\n`;
      const cut = i % 3;
      run.append(text.slice(0, cut));
      await tick(2);
      run.append(text.slice(cut));
      if (i % 5 === 0) await tick(15);
    }
    run.append('no newline at the end');
    await tick(60);
    run.status = 'Completed';
    const summary = await tail.done;
    assert.deepEqual(tail.lines, [...expected, 'no newline at the end']);
    assert.deepEqual(tail.statuses, ['NotStarted', 'Running', 'Completed']);
    assert.equal(summary.status, 'Completed');
    assert.equal(summary.logBytes, run.log.length);
    assert.equal(summary.bytesFetched, run.log.length, 'only new bytes are fetched');
    assert.deepEqual(summary.failingLines, []);
  });

  it('shows a progress bar redrawn with \\r while the run goes on, not only when it ends', async () => {
    const run = new ScriptedRun();
    run.status = 'Running';
    run.logListed = true;
    const tail = follow(run);
    run.append('training\n');
    for (let i = 1; i <= 30; i++) {
      run.append(`\rbatch ${i}/1000`);
      await tick(3);
    }
    await tick(80);
    const shown = tail.lines.filter((line) => line.startsWith('batch '));
    assert.ok(shown.length > 0, `no progress shown while the run goes on: ${JSON.stringify(tail.lines)}`);
    for (const line of shown) assert.match(line, /^batch \d+\/1000$/, 'each shown line is one redraw, as a terminal shows it');
    const numbers = shown.map((line) => Number(/\d+/.exec(line)![0]));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
    run.append('\rbatch 1000/1000\ndone\n');
    run.status = 'Completed';
    await tail.done;
    assert.deepEqual(tail.lines.slice(-2), ['batch 1000/1000', 'done']);
  });

  it('reads a backlog in pieces no larger than the chunk, masking a secret that one piece cuts in two', async () => {
    const run = new ScriptedRun();
    run.status = 'Completed';
    run.logListed = true;
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) expected.push(`row ${i} ${'y'.repeat(i % 13)}`);
    const before = expected.slice(0, 20).join('\n').length + 1;
    // Puts "?sig=" in one 512-byte piece and the signature in the next.
    const secretLine = `uploading to https://acct.blob.core.windows.net/c/x${'z'.repeat(512 - before - 55)}?sig=Sup3rSecretSignature&se=2030`;
    expected.splice(20, 0, secretLine);
    run.append(`${expected.join('\n')}\n`);
    const cut = new TextDecoder().decode(run.log).indexOf('?sig=');
    assert.ok(cut < 512 && cut + 10 > 512, `the secret straddles the first piece's end (at ${cut})`);
    const tail = follow(run, fast, 512);
    const summary = await tail.done;
    assert.ok(run.asked.every((n) => n === 512), 'every read asks for at most one piece');
    assert.ok(summary.requests.logReads >= Math.ceil(run.log.length / 512));
    assert.deepEqual(tail.lines, expected.map((line) => line.replace('Sup3rSecretSignature', '***')));
    assert.ok(!tail.lines.join('\n').includes('Sup3r'));
    assert.equal(summary.logBytes, run.log.length);
  });

  it('never repeats a line when the server ignores Range and sends the whole log', async () => {
    const run = new ScriptedRun();
    run.ignoreRange = true;
    run.status = 'Running';
    run.logListed = true;
    const tail = follow(run);
    for (let i = 0; i < 10; i++) {
      run.append(`row ${i}\n`);
      await tick(12);
    }
    run.status = 'Completed';
    await tail.done;
    assert.deepEqual(tail.lines, Array.from({ length: 10 }, (_, i) => `row ${i}`));
  });

  it('reports a failed run with its error and its last lines', async () => {
    const run = new ScriptedRun();
    run.status = 'Running';
    run.logListed = true;
    const tail = follow(run);
    for (let i = 0; i < 30; i++) run.append(`step ${i}\n`);
    run.append('Traceback: boom\n');
    await tick(30);
    run.status = 'Failed';
    const summary = await tail.done;
    assert.equal(summary.status, 'Failed');
    assert.deepEqual(summary.error, { code: 'UserError', message: 'exit code 3' });
    assert.equal(summary.failingLines.length, 20);
    assert.equal(summary.failingLines.at(-1), 'Traceback: boom');
  });

  it('backs off while nothing changes and stops when aborted', async () => {
    const run = new ScriptedRun();
    run.status = 'Queued';
    const tail = follow(run, { logMinMs: 10, logMaxMs: 100, detailsMinMs: 10, detailsMaxMs: 100, detailsWhileOutputMs: 50 });
    await tick(600);
    tail.controller.abort();
    await assert.rejects(tail.done, { name: 'AbortError' });
    // Without backoff 600 ms at 10 ms would be ~60 polls; growing ×1.5 to 100 ms it is about a dozen.
    assert.ok(run.detailsCalls <= 20, `${run.detailsCalls} RunDetails polls in 600 ms of nothing happening`);
    assert.ok(run.detailsCalls >= 3);
  });

  it('asked to poll now (an event said the run ended), ends without waiting out a long backoff', async () => {
    const run = new ScriptedRun();
    run.status = 'Running';
    // Ten minutes between polls: only pollNow() can end this follow within the test's time.
    const tailer = new RunLogTailer({ runId: 'job1', source: run.source, readRange: run.readRange, schedule: { ...fast, detailsMinMs: 600_000, detailsMaxMs: 600_000 } });
    const controller = new AbortController();
    const done = tailer.follow(controller.signal);
    done.catch(() => undefined);
    while (run.detailsCalls === 0) await tick(5);
    await tick(20);
    run.status = 'Completed';
    tailer.pollNow();
    // A failing test must not leave a ten-minute wait behind.
    const summary = await Promise.race([done, tick(10_000).then(() => undefined)]).finally(() => controller.abort());
    assert.equal(summary?.status, 'Completed', 'the follow ended on the poll it was asked for');
    assert.equal(run.detailsCalls, 2);
  });

  it('reads once, as the log is now, for a run that has not finished', async () => {
    const run = new ScriptedRun();
    run.status = 'Running';
    run.logListed = true;
    run.append('a\nb\npartial');
    const lines: string[] = [];
    const summary = await new RunLogTailer({ runId: 'job1', source: run.source, readRange: run.readRange, listener: { onLines: (l) => lines.push(...l) } }).readOnce();
    assert.deepEqual(lines, ['a', 'b', 'partial']);
    assert.equal(summary.finished, false);
    assert.equal(summary.status, 'Running');
  });
});
