import type { MetricPoint, TrackedRun } from '../azure/runMetrics';

/** A metric's history in brief: the last value (highest step) and the extremes. */
export interface MetricSummary {
  last: number;
  /** NaN values are left out of min and max; NaN when every value is NaN. */
  min: number;
  max: number;
  points: number;
}

/** Summarizes a history given in step order; undefined when it has no points. */
export function summarizeHistory(points: readonly MetricPoint[]): MetricSummary | undefined {
  if (points.length === 0) return undefined;
  let min = NaN;
  let max = NaN;
  for (const { value } of points) {
    if (Number.isNaN(value)) continue;
    if (!(value >= min)) min = value;
    if (!(value <= max)) max = value;
  }
  return { last: points[points.length - 1]!.value, min, max, points: points.length };
}

/** Params whose value is not the same in every run (missing in some counts as different), by name. */
export function differingParams(runs: readonly TrackedRun[]): string[] {
  const keys = new Set(runs.flatMap((run) => Object.keys(run.params)));
  return [...keys]
    .filter((key) => new Set(runs.map((run) => run.params[key])).size > 1)
    .sort((a, b) => a.localeCompare(b));
}

/** A metric value as text: NaN, Infinity and -Infinity by name, numbers as JavaScript writes them. */
export function formatMetricValue(value: number): string {
  return String(value);
}

/** A metric value for JSON, which has no NaN: non-finite ones as MLflow's strings. */
export function jsonMetricValue(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}
