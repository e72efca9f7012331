import * as assert from 'node:assert/strict';
import { ConcurrencyLimit, type ConcurrencyLimitOptions } from '../../src/core/transfer/concurrencyLimit';
import { TransferScheduler } from '../../src/core/transfer/scheduler';

const GiB = 1024 ** 3;

/** A limit on a clock of its own; `free` is the machine's free memory it sees. */
function limitWith(options: Partial<ConcurrencyLimitOptions> = {}) {
  const clock = { now: 0, free: 8 * GiB };
  const limit = new ConcurrencyLimit({
    initial: 32, max: 256, latencyFloor: 16, lowMemoryBytes: 256 * 1024 ** 2, freeMemory: () => clock.free, ...options,
  }, () => clock.now);
  /**
   * One window of answers (as many as the limit), each taking `latencyMs`, `perSecond` of them
   * arriving per second, with `inFlight` requests under way (by default the whole limit).
   */
  const window = (latencyMs: number, perSecond = 1000, inFlight = limit.limit): void => {
    const count = Math.max(8, limit.limit);
    for (let i = 0; i < count; i++) {
      clock.now += 1000 / perSecond;
      limit.sample({ latencyMs, inFlight });
    }
  };
  return { limit, clock, window };
}

describe('adaptive concurrency limit', () => {
  it('grows while the latency stays at the link\'s round trip (80 ms away), up to its ceiling', () => {
    const { limit, window } = limitWith();
    const seen = [limit.limit];
    for (let i = 0; i < 12; i++) {
      window(80 + (i % 3));
      seen.push(limit.limit);
    }
    assert.deepEqual(seen.slice(0, 4), [32, 40, 50, 62]);
    assert.equal(limit.limit, 256, `it reached the ceiling: ${seen.join(' → ')}`);
  });

  it('does not grow when the limit is not used', () => {
    const { limit, window } = limitWith();
    for (let i = 0; i < 5; i++) window(20, 1000, 10);
    assert.equal(limit.limit, 32);
  });

  /**
   * A link 80 ms away on a loaded machine: one answer in 8 comes at the round trip, the others
   * 2–3× later (the median of a window varying from 160 to 240 ms), and the service answers at
   * most `perSecond`, so past that requests queue there (Little's law: latency = in flight / rate).
   */
  function loadedLink(perSecond: number, windows: number) {
    const { limit, clock } = limitWith();
    const seen = [limit.limit];
    for (let w = 0; w < windows; w++) {
      const count = Math.max(8, limit.limit);
      const queueing = (1000 * limit.limit) / perSecond;
      for (let i = 0; i < count; i++) {
        const latencyMs = Math.max(queueing, i % 8 === 0 ? 80 : 80 * (2 + (w % 3) / 2));
        clock.now += latencyMs / limit.limit;
        limit.sample({ latencyMs, inFlight: limit.limit });
      }
      seen.push(limit.limit);
    }
    return seen;
  }

  it('80 ms away on a loaded machine (most answers 2–3× the round trip), grows quickly while that raises the answers per second', () => {
    const seen = loadedLink(Infinity, 12);
    assert.equal(seen.at(-1), 256, `it reached the ceiling within 12 windows: ${seen.join(' → ')}`);
  });

  it('on a loaded machine, stops growing where more in flight no longer raises the answers per second', () => {
    const seen = loadedLink(500, 60);
    const settled = seen.slice(-30);
    assert.ok(Math.min(...settled) >= 64 && Math.max(...settled) <= 160, `between ${Math.min(...settled)} and ${Math.max(...settled)}: ${seen.join(' → ')}`);
  });

  it('with requests queueing, keeps growing while that raises the answers per second, and undoes a growth that does not', () => {
    const { limit, window } = limitWith({ initial: 100 });
    window(20, 1000);
    assert.equal(limit.limit, 125);
    window(100, 1500);
    assert.equal(limit.limit, 156, 'latency inflated but 50% more answers per second: grows by a quarter');
    window(150, 1550);
    assert.equal(limit.limit, 125, 'only 3% more: that growth is undone');
    for (let i = 0; i < 9; i++) window(150, 1550);
    assert.equal(limit.limit, 125, 'and it holds there');
    window(150, 1550);
    assert.equal(limit.limit, 156, 'trying a quarter more after 10 windows');
  });

  it('queueing that does not come from its own growth (a loaded machine at loopback) never takes it below where it started', () => {
    const { limit, window } = limitWith();
    window(1);
    assert.equal(limit.limit, 40);
    for (let i = 0; i < 30; i++) window(30, 1000);
    assert.ok(limit.limit >= 32, `limit ${limit.limit}`);
  });

  it('tolerates a tenth of attempts throttled; past that shrinks by twice the share above it (at most half), down to 1 when throttling persists, and grows again once it stops', () => {
    const { limit, window } = limitWith({ initial: 100 });
    window(20);
    assert.equal(limit.limit, 125);
    for (let i = 0; i < 5; i++) limit.throttled();
    window(20);
    assert.equal(limit.limit, 125, '5 of 130 attempts throttled: no growth, no shrinking');
    for (let i = 0; i < 26; i++) limit.throttled();
    window(20);
    // 26 of 151 attempts throttled: 125 × (1 - 2 × (26/151 - 0.1)).
    assert.equal(limit.limit, 106);
    for (let i = 0; i < 200; i++) limit.throttled();
    window(20);
    assert.equal(limit.limit, 53, 'at most half per window');
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < Math.max(8, limit.limit) / 2; i++) limit.throttled();
      window(20);
    }
    assert.equal(limit.limit, 1, 'a third of attempts throttled, window after window: one at a time');
    window(20);
    assert.equal(limit.limit, 2, 'a clean window: grows again');
  });

  it('keeps a useful number in flight when throttling is scattered (6% of attempts, each retried after a second\'s wait)', () => {
    const { limit, clock } = limitWith({ initial: 64 });
    let attempts = 0;
    const seen: number[] = [];
    for (let round = 0; round < 300; round++) {
      const count = Math.max(8, limit.limit);
      for (let i = 0; i < count; i++) {
        clock.now += 1;
        // Every 17th attempt throttled, spread evenly; its request answers after the retry's wait.
        const retried = ++attempts % 17 === 0;
        if (retried) limit.throttled();
        limit.sample({ latencyMs: retried ? 1020 : 20, inFlight: limit.limit, retried });
      }
      if (round >= 200) seen.push(limit.limit);
    }
    assert.ok(Math.min(...seen) >= 32, `between ${Math.min(...seen)} and ${Math.max(...seen)}`);
  });

  it('does not take the back-off waits of a few slow answers (retries after a dropped connection) for queueing', () => {
    const { limit, clock } = limitWith();
    for (let round = 0; round < 6; round++) {
      const count = Math.max(8, limit.limit);
      for (let i = 0; i < count; i++) {
        clock.now += 1;
        limit.sample({ latencyMs: i % 10 === 0 ? 2000 : 20, inFlight: limit.limit });
      }
    }
    assert.ok(limit.limit > 64, `limit ${limit.limit}`);
  });

  it('halves when the machine runs short of memory', () => {
    const { limit, clock, window } = limitWith({ initial: 64 });
    clock.free = 100 * 1024 ** 2;
    window(20);
    assert.equal(limit.limit, 32);
    window(20);
    assert.equal(limit.limit, 16);
    clock.free = 8 * GiB;
    window(20);
    assert.equal(limit.limit, 20);
  });

  it('follows a link that got slower: the lowest latency is forgotten after a while', () => {
    const { limit, window } = limitWith({ initial: 64, max: 64 });
    window(5);
    for (let i = 0; i < 20; i++) window(80, 1000, 0);
    window(80);
    assert.equal(limit.limit, 64, 'grows again once 80 ms is the new normal');
  });

  it('drives the scheduler: more requests start as soon as the limit grows', async () => {
    const { limit, window } = limitWith({ initial: 2 });
    const scheduler = new TransferScheduler({ maxConcurrency: 100, maxInFlightBytes: 1e9, adaptive: limit });
    const releases: Array<() => void> = [];
    const waiting = Array.from({ length: 10 }, () => scheduler.acquire(1).then((release) => releases.push(release)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(scheduler.active, 2);
    window(10, 1000, 2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(scheduler.active, 3);
    for (let i = 0; i < 6; i++) window(10);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(scheduler.active, 10);
    for (const release of releases) release();
    await Promise.all(waiting);
  });
});
