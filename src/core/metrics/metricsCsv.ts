import type { MetricPoint } from '../../azure/runMetrics';

export interface CsvRun {
  runId: string;
  metrics: ReadonlyMap<string, readonly MetricPoint[]> | Record<string, readonly MetricPoint[]>;
}

/** Text a spreadsheet would run as a formula starts with one of these; such a cell is prefixed with '. */
const formulaStart = /^[=+\-@\t\r]/;

function cell(text: string): string {
  const safe = formulaStart.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** MLflow's spelling, so a NaN logged comes back as NaN and not as an empty cell. */
function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}

/**
 * Every point of every metric of the runs, one row each: run, metric, step, timestamp (ISO
 * 8601 UTC), value. Exact values (JavaScript's shortest round-trip form), metrics in
 * alphabetical order, points in the order held (step order).
 */
export function metricsCsv(runs: readonly CsvRun[]): string {
  const lines = ['run,metric,step,timestamp,value'];
  for (const run of runs) {
    const entries = run.metrics instanceof Map ? [...run.metrics.entries()] : Object.entries(run.metrics);
    for (const [key, points] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const p of points) {
        lines.push([cell(run.runId), cell(key), String(p.step), new Date(p.timestamp).toISOString(), numberText(p.value)].join(','));
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
