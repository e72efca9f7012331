import { readMetricHistory } from '../../azure/metricHistory';
import type { TrackedRun } from '../../azure/runMetrics';
import { differingParams, formatMetricValue, jsonMetricValue, summarizeHistory, type MetricSummary } from '../../core/metricSummary';
import type { CliCommand } from '../command';
import { checkedServiceName } from '../nameChecks';
import { orNotFound } from '../notFound';
import { printMasked } from '../output';
import { formatTable } from '../table';
import { UsageError } from '../usage';
import { positiveInteger } from './metrics';

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: "Compare jobs: params that differ, each metric's last, min and max per job",
  usage: 'azml compare <job> <job>... [--json] [--page-size N] <target>',
  options: { 'page-size': { type: 'string' } },
  needsWorkspace: true,
  async run(values, target, positionals) {
    if (positionals.length < 2) throw new UsageError('Name two jobs or more: azml compare <job> <job>... [--json].');
    for (const name of positionals) checkedServiceName(name, 'job', 'Job');
    const duplicate = positionals.find((name, i) => positionals.indexOf(name) !== i);
    if (duplicate) throw new UsageError(`Job "${duplicate}" is named twice.`);
    const pageSize = positiveInteger(values['page-size'], '--page-size');
    const tracking = target.workspaceClient!.metrics;

    const runs: TrackedRun[] = [];
    const summaries = new Map<string, Map<string, MetricSummary | undefined>>();
    for (const name of positionals) {
      const notFound = `Job "${name}" does not exist in this workspace: azml jobs lists them.`;
      const run = await orNotFound(tracking.getRun(name), notFound);
      runs.push(run);
      for (const key of Object.keys(run.metrics)) {
        const points = await orNotFound(readMetricHistory(tracking, name, key, pageSize !== undefined ? { pageSize } : {}), notFound);
        if (!summaries.has(key)) summaries.set(key, new Map());
        summaries.get(key)!.set(name, summarizeHistory(points));
      }
    }
    const params = differingParams(runs);
    const metricKeys = [...summaries.keys()].sort((a, b) => a.localeCompare(b));

    if (values['json']) {
      const json = {
        runs: positionals,
        params: Object.fromEntries(params.map((key) => [key, Object.fromEntries(runs.map((run) => [run.runId, run.params[key] ?? null]))])),
        metrics: Object.fromEntries(metricKeys.map((key) => [key, Object.fromEntries(positionals.map((name) => {
          const s = summaries.get(key)!.get(name);
          return [name, s ? { last: jsonMetricValue(s.last), min: jsonMetricValue(s.min), max: jsonMetricValue(s.max), points: s.points } : null];
        }))])),
      };
      printMasked(JSON.stringify(json, null, 2));
      return;
    }
    const out: string[] = [];
    out.push(params.length === 0
      ? 'Params: the same in every job.'
      : formatTable(['PARAM', ...positionals], params.map((key) => [key, ...runs.map((run) => run.params[key] ?? '-')])));
    out.push('');
    if (metricKeys.length === 0) {
      out.push('Metrics: none logged.');
    } else {
      const rows: string[][] = [];
      for (const key of metricKeys) {
        for (const name of positionals) {
          const s = summaries.get(key)!.get(name);
          rows.push(s ? [key, name, formatMetricValue(s.last), formatMetricValue(s.min), formatMetricValue(s.max), String(s.points)] : [key, name, '-', '-', '-', '0']);
        }
      }
      out.push(formatTable(['METRIC', 'JOB', 'LAST', 'MIN', 'MAX', 'POINTS'], rows));
    }
    printMasked(out.join('\n'));
  },
};
