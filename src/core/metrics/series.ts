import type { MetricPoint } from '../../azure/runMetrics';

function samePoint(a: MetricPoint, b: MetricPoint): boolean {
  return a.step === b.step && a.timestamp === b.timestamp;
}

function before(a: MetricPoint, b: MetricPoint): boolean {
  return a.step < b.step || (a.step === b.step && a.timestamp < b.timestamp);
}

/**
 * Adds `incoming` to `series` (kept in step order, then timestamp) and returns the points that
 * were new. A point with the step and timestamp of one already held is the same point (a page
 * fetched again) and is dropped. Appending after the last point, the live case, costs only the
 * new points; anything out of order falls back to a sorted insert.
 */
export function mergePoints(series: MetricPoint[], incoming: readonly MetricPoint[]): MetricPoint[] {
  const added: MetricPoint[] = [];
  for (const point of incoming) {
    const last = series.at(-1);
    if (!last || before(last, point)) {
      series.push(point);
      added.push(point);
      continue;
    }
    let low = 0;
    let high = series.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(series[mid], point)) low = mid + 1;
      else high = mid;
    }
    if (low < series.length && samePoint(series[low], point)) continue;
    series.splice(low, 0, point);
    added.push(point);
  }
  return added;
}
