import * as assert from 'node:assert/strict';
import { JobPool, TransferScheduler } from '../../src/core/transfer/scheduler';
import { readAhead } from '../../src/core/transfer/readAhead';
import { ProgressTracker, throttleProgress } from '../../src/core/transfer/progressTracker';
import type { TransferProgress } from '../../src/core/transfer/types';

const tick = (ms = 1): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A task that runs until released, recording how many ran at once. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

describe('transfer scheduler', () => {
  it('never runs more requests at once than its limit', async () => {
    const scheduler = new TransferScheduler({ maxConcurrency: 3, maxInFlightBytes: 1e9 });
    let running = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 20 }, () => scheduler.run(10, async () => {
      running++;
      peak = Math.max(peak, running);
      await tick(2);
      running--;
    })));
    assert.equal(peak, 3);
    assert.equal(scheduler.active, 0);
    assert.equal(scheduler.inFlightBytes, 0);
  });

  it('keeps the bytes in flight within the budget', async () => {
    const scheduler = new TransferScheduler({ maxConcurrency: 100, maxInFlightBytes: 100 });
    let peakBytes = 0;
    await Promise.all(Array.from({ length: 30 }, (_, i) => scheduler.run(20 + (i % 3) * 10, async () => {
      peakBytes = Math.max(peakBytes, scheduler.inFlightBytes);
      await tick(1);
    })));
    assert.ok(peakBytes <= 100, `peak ${peakBytes}`);
    assert.ok(peakBytes >= 60, 'several requests share the budget');
  });

  it('runs a request larger than the whole budget, alone', async () => {
    const scheduler = new TransferScheduler({ maxConcurrency: 10, maxInFlightBytes: 100 });
    const small = gate();
    const first = scheduler.run(50, () => small.done);
    let bigRan = false;
    const big = scheduler.run(1000, async () => {
      bigRan = true;
      assert.equal(scheduler.active, 1);
    });
    await tick();
    assert.equal(bigRan, false, 'waits for the budget to be free');
    small.release();
    await Promise.all([first, big]);
    assert.equal(bigRan, true);
  });

  it('serves requests in order, so a large block is not starved by a stream of small files', async () => {
    const scheduler = new TransferScheduler({ maxConcurrency: 10, maxInFlightBytes: 100 });
    const order: string[] = [];
    const blockers = [gate(), gate()];
    const running = blockers.map((g, i) => scheduler.run(40, async () => {
      order.push(`small${i}`);
      await g.done;
    }));
    const large = scheduler.run(80, async () => {
      order.push('large');
    });
    const later = scheduler.run(10, async () => {
      order.push('later-small');
    });
    await tick();
    assert.deepEqual(order, ['small0', 'small1'], 'the 10-byte request does not jump ahead of the waiting large one');
    blockers.forEach((g) => g.release());
    await Promise.all([...running, large, later]);
    assert.deepEqual(order, ['small0', 'small1', 'large', 'later-small']);
  });

  it('rejects waiting requests at once when aborted, and frees what they held', async () => {
    const scheduler = new TransferScheduler({ maxConcurrency: 1, maxInFlightBytes: 100 });
    const blocker = gate();
    const holding = scheduler.run(10, () => blocker.done);
    const controller = new AbortController();
    let ran = false;
    const waiting = scheduler.run(10, async () => {
      ran = true;
    }, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
    blocker.release();
    await holding;
    assert.equal(ran, false);
    assert.equal(scheduler.active, 0);
    await assert.rejects(scheduler.run(1, async () => undefined, controller.signal), /stop/);
  });

  it('frees the slot when a task fails', async () => {
    const scheduler = new TransferScheduler({ maxConcurrency: 1, maxInFlightBytes: 10 });
    await assert.rejects(scheduler.run(5, async () => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(await scheduler.run(5, async () => 'next'), 'next');
  });

  it('JobPool keeps at most `limit` jobs unfinished and drains them all', async () => {
    const pool = new JobPool(4);
    let open = 0;
    let peak = 0;
    let finished = 0;
    for (let i = 0; i < 25; i++) {
      await pool.add(async () => {
        open++;
        peak = Math.max(peak, open);
        await tick(1);
        open--;
        finished++;
      });
    }
    await pool.drain();
    assert.equal(finished, 25);
    assert.equal(peak, 4);
  });
});

describe('read-ahead of the folder walk', () => {
  async function* numbers(n: number, seen: number[]): AsyncGenerator<number> {
    for (let i = 0; i < n; i++) {
      seen.push(i);
      yield i;
    }
  }

  it('reads ahead up to its capacity, reports every item and the end', async () => {
    const produced: number[] = [];
    const found: number[] = [];
    let ended = false;
    const iterator = readAhead(numbers(10, produced), 3, (n) => found.push(n), () => (ended = true));
    await tick(5);
    assert.ok(produced.length <= 4, `bounded read-ahead, produced ${produced.length}`);
    const consumed: number[] = [];
    for await (const n of iterator) consumed.push(n);
    assert.deepEqual(consumed, [...Array(10).keys()]);
    assert.deepEqual(found, consumed);
    assert.equal(ended, true);
  });

  it('passes a failure of the source to the consumer', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('walk failed');
    }
    const iterator = readAhead(failing(), 5, () => undefined, () => assert.fail('not a normal end'));
    assert.deepEqual(await iterator.next(), { done: false, value: 1 });
    await assert.rejects(iterator.next(), /walk failed/);
  });
});

describe('transfer progress', () => {
  it('computes throughput over recent time and the time left once totals are known', () => {
    let now = 0;
    const snapshots: TransferProgress[] = [];
    const tracker = new ProgressTracker('upload', (p) => snapshots.push(p), () => now);
    for (let i = 0; i < 10; i++) tracker.found(1000);
    now = 1000;
    tracker.transferred(2000);
    tracker.fileDone();
    tracker.fileDone();
    assert.equal(snapshots.at(-1)!.filesTotal, undefined, 'no totals while files are still being found');
    tracker.allFound();
    const p = snapshots.at(-1)!;
    assert.equal(p.filesTotal, 10);
    assert.equal(p.bytesTotal, 10_000);
    assert.equal(p.bytesDone, 2000);
    assert.equal(p.bytesPerSecond, 2000);
    assert.equal(p.secondsLeft, 4);
  });

  it('throttles reports to one per interval and flushes the last', async () => {
    const seen: number[] = [];
    const throttled = throttleProgress((p) => seen.push(p.filesDone), 50);
    const progress = (filesDone: number): TransferProgress => ({ direction: 'upload', filesDone, bytesDone: 0, bytesPerSecond: 0 });
    for (let i = 1; i <= 100; i++) throttled.report(progress(i));
    assert.deepEqual(seen, [1]);
    await tick(70);
    assert.deepEqual(seen, [1, 100]);
    throttled.report(progress(101));
    throttled.flush();
    assert.deepEqual(seen, [1, 100, 101]);
  });

  it('delivers the final count even to a receiver that drops reports coming too close (as VS Code\'s extension host does)', async () => {
    // A receiver like the extension host's: passes a report on only when the previous one is 100 ms old.
    const shown: number[] = [];
    let lastShown = 0;
    const receiver = (filesDone: number): void => {
      if (Date.now() - lastShown < 100) return;
      lastShown = Date.now();
      shown.push(filesDone);
    };
    const throttled = throttleProgress((p) => receiver(p.filesDone), 200);
    const progress = (filesDone: number): TransferProgress => ({ direction: 'download', filesDone, filesTotal: 20, bytesDone: 0, bytesPerSecond: 0 });
    throttled.report(progress(0));
    throttled.report(progress(20));
    await throttled.flushSpaced(150);
    assert.deepEqual(shown, [0, 20], 'the notification ends on "20 / 20 files", not "0 / 20"');
  });
});
