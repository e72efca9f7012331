/**
 * Which points of a series to draw in `columns` pixel columns: per column the first, the
 * lowest, the highest and the last point, so spikes and the envelope survive however long the
 * series is. Returns indices in order; the data itself is never changed. Points whose y is not
 * finite (NaN, ±Infinity) are always kept: the chart shows them as gaps, and a gap must not vanish.
 */
export function minMaxIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, columns: number): number[] {
  const n = xs.length;
  if (n <= columns * 4 || columns < 1) return Array.from({ length: n }, (_, i) => i);
  const first = xs[0];
  const span = xs[n - 1] - first || 1;
  const kept: number[] = [];
  let column = -1;
  let bucket: number[] = [];
  const flush = (): void => {
    if (bucket.length === 0) return;
    let lo = bucket[0];
    let hi = bucket[0];
    for (const i of bucket) {
      if (ys[i] < ys[lo]) lo = i;
      if (ys[i] > ys[hi]) hi = i;
    }
    for (const i of [...new Set([bucket[0], lo, hi, bucket.at(-1)!])].sort((a, b) => a - b)) kept.push(i);
    bucket = [];
  };
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(ys[i])) {
      flush();
      kept.push(i);
      column = -1;
      continue;
    }
    const c = Math.min(columns - 1, Math.floor(((xs[i] - first) / span) * columns));
    if (c !== column) {
      flush();
      column = c;
    }
    bucket.push(i);
  }
  flush();
  return kept;
}
