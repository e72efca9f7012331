import * as assert from 'node:assert/strict';
import { formatAge, formatBytes, formatDuration } from '../../src/core/format';

describe('format', () => {
  it('formats run durations the way the Experiments view shows them', () => {
    const start = new Date('2026-01-01T10:00:00Z');
    assert.equal(formatDuration(start, new Date('2026-01-01T10:00:42Z')), '42s');
    assert.equal(formatDuration(start, new Date('2026-01-01T10:03:12Z')), '3m 12s');
    assert.equal(formatDuration(start, new Date('2026-01-01T12:05:00Z')), '2h 5m');
    assert.equal(formatDuration(undefined, undefined), undefined);
  });
  it('rounds a run duration down to whole seconds, so a ticking status bar and the final summary agree', () => {
    const start = new Date('2026-01-01T10:00:00.000Z');
    assert.equal(formatDuration(start, new Date('2026-01-01T10:00:02.600Z')), '2s');
    assert.equal(formatDuration(start, new Date('2026-01-01T10:00:59.900Z')), '59s');
    assert.equal(formatDuration(start, new Date('2026-01-01T10:01:00.000Z')), '1m 0s');
  });
  it('formats sizes in binary units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(512 * 1024 * 1024), '512 MiB');
  });
  it('formats ages relative to now', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    assert.equal(formatAge(new Date('2026-01-09T23:55:00Z'), now), '5 min ago');
    assert.equal(formatAge(new Date('2026-01-07T00:00:00Z'), now), '3 d ago');
    assert.equal(formatAge(new Date('2025-10-01T00:00:00Z'), now), '2025-10-01');
  });
});
