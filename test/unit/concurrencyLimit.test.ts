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
  return { limit, clock };
}

/** One window of answers (as many as the limit), each taking `latencyMs`, with the limit in use. */
function window(limit: ConcurrencyLimit, latencyMs: number, inFlight = limit.limit): void {
  const count = Math.max(8, limit.limit);
  for (let i = 0; i < count; i++) limit.sample({ latencyMs, inFlight });
}

describe('adaptive concurrency limit', () => {
  it('grows while the latency stays at the link\'s round trip (80 ms away), up to its ceiling', () => {
    const { limit } = limitWith();
    const seen = [limit.limit];
    for (let i = 0; i < 12; i++) {
      window(limit, 80 + (i % 3));
      seen.push(limit.limit);
    }
    assert.deepEqual(seen.slice(0, 4), [32, 40, 50, 62]);
    assert.equal(limit.limit, 256, `it reached the ceiling: ${seen.join(' → ')}`);
  });

  it('does not grow when the limit is not used', () => {
    const { limit } = limitWith();
    for (let i = 0; i < 5; i++) window(limit, 20, 10);
    assert.equal(limit.limit, 32);
  });

  it('shrinks when requests queue (latency well above the lowest seen), but not below the latency floor', () => {
    const { limit } = limitWith({ initial: 128 });
    window(limit, 20);
    assert.equal(limit.limit, 160);
    window(limit, 100);
    assert.equal(limit.limit, 112, 'at most 30% per window');
    for (let i = 0; i < 7; i++) window(limit, 100);
    assert.equal(limit.limit, 16);
  });

  it('holds when latency is somewhat inflated (between 1.5× and 2× the lowest)', () => {
    const { limit } = limitWith();
    window(limit, 20);
    const before = limit.limit;
    window(limit, 40);
    assert.equal(limit.limit, before);
  });

  it('halves at once on a throttled answer (down to 1, below the floor) and waits out Retry-After before growing again', () => {
    const { limit, clock } = limitWith({ initial: 64 });
    window(limit, 20);
    assert.equal(limit.limit, 80);
    limit.throttled(1000);
    assert.equal(limit.limit, 40);
    limit.throttled(1000);
    assert.equal(limit.limit, 40, 'several throttled answers in one window halve once');
    window(limit, 20);
    for (let i = 0; i < 6; i++) {
      limit.throttled(1000);
      window(limit, 20);
    }
    assert.equal(limit.limit, 1);
    clock.now += 500;
    window(limit, 20);
    assert.equal(limit.limit, 1, 'still inside Retry-After');
    clock.now += 600;
    window(limit, 20);
    assert.equal(limit.limit, 2, 'grows again once Retry-After has passed');
  });

  it('halves when the machine runs short of memory', () => {
    const { limit, clock } = limitWith({ initial: 64 });
    clock.free = 100 * 1024 ** 2;
    window(limit, 20);
    assert.equal(limit.limit, 32);
    window(limit, 20);
    assert.equal(limit.limit, 16);
    clock.free = 8 * GiB;
    window(limit, 20);
    assert.equal(limit.limit, 20);
  });

  it('follows a link that got slower: the lowest latency is forgotten after a while', () => {
    const { limit } = limitWith({ initial: 64, max: 64 });
    window(limit, 5);
    for (let i = 0; i < 40; i++) window(limit, 80);
    window(limit, 80);
    assert.equal(limit.limit, 64, 'back at the ceiling once 80 ms is the new normal');
  });

  it('drives the scheduler: more requests start as soon as the limit grows', async () => {
    const { limit } = limitWith({ initial: 2 });
    const scheduler = new TransferScheduler({ maxConcurrency: 100, maxInFlightBytes: 1e9, adaptive: limit });
    const releases: Array<() => void> = [];
    const waiting = Array.from({ length: 10 }, () => scheduler.acquire(1).then((release) => releases.push(release)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(scheduler.active, 2);
    window(limit, 10, 2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(scheduler.active, 3);
    for (let i = 0; i < 6; i++) window(limit, 10);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(scheduler.active, 10);
    for (const release of releases) release();
    await Promise.all(waiting);
  });
});
