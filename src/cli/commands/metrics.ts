import { readMetricHistory } from '../../azure/metricHistory';
import type { MetricPoint } from '../../azure/runMetrics';
import { formatMetricValue, jsonMetricValue } from '../../core/metricSummary';
import type { CliCommand } from '../command';
import { checkedServiceName } from '../nameChecks';
import { orNotFound } from '../notFound';
import { formatDate } from '../output';
import { formatTable } from '../table';
import { UsageError } from '../usage';

/** One CSV field, quoted when it holds a comma, quote or line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function positiveInteger(raw: string | boolean | undefined, option: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < 1) throw new UsageError(`${option} takes a positive whole number.`);
  return value;
}

export const metricsCommand: CliCommand = {
  name: 'metrics',
  summary: "Print a job's metric histories (every logged point, in step order)",
  usage: 'azml metrics <job> [--metric NAME] [--json|--csv] [--page-size N] <target>',
  options: { metric: { type: 'string' }, csv: { type: 'boolean' }, 'page-size': { type: 'string' } },
  needsWorkspace: true,
  async run(values, target, positionals) {
    const [jobName, ...extra] = positionals;
    if (!jobName || extra.length > 0) throw new UsageError('Name one job: azml metrics <job> [--metric NAME] [--json|--csv].');
    checkedServiceName(jobName, 'job', 'Job');
    if (values['json'] && values['csv']) throw new UsageError('Choose one of --json and --csv.');
    const pageSize = positiveInteger(values['page-size'], '--page-size');
    const tracking = target.workspaceClient!.metrics;
    const notFound = `Job "${jobName}" does not exist in this workspace: azml jobs lists them.`;
    const run = await orNotFound(tracking.getRun(jobName), notFound);
    const wanted = values['metric'] as string | undefined;
    const available = Object.keys(run.metrics).sort((a, b) => a.localeCompare(b));
    if (wanted !== undefined && !available.includes(wanted)) {
      throw new UsageError(available.length === 0
        ? `Job "${jobName}" has logged no metrics.`
        : `Job "${jobName}" has no metric "${wanted}"; it has ${available.map((k) => `"${k}"`).join(', ')}.`);
    }
    const keys = wanted !== undefined ? [wanted] : available;
    const histories = new Map<string, MetricPoint[]>();
    for (const key of keys) {
      histories.set(key, await orNotFound(readMetricHistory(tracking, jobName, key, pageSize !== undefined ? { pageSize } : {}), notFound));
    }

    if (values['json']) {
      const metrics: Record<string, Array<{ step: number; timestamp: number; value: number | string }>> = {};
      for (const [key, points] of histories) metrics[key] = points.map((p) => ({ step: p.step, timestamp: p.timestamp, value: jsonMetricValue(p.value) }));
      process.stdout.write(`${JSON.stringify({ runId: jobName, metrics }, null, 2)}\n`);
      return;
    }
    if (values['csv']) {
      const lines = ['run_id,key,step,timestamp,value'];
      for (const [key, points] of histories) {
        for (const p of points) lines.push([jobName, key, String(p.step), String(p.timestamp), formatMetricValue(p.value)].map(csvField).join(','));
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return;
    }
    if (keys.length === 0) {
      process.stdout.write(`Job "${jobName}" has logged no metrics.\n`);
      return;
    }
    const rows: string[][] = [];
    for (const [key, points] of histories) {
      for (const p of points) rows.push([key, String(p.step), formatDate(new Date(p.timestamp)) ?? '', formatMetricValue(p.value)]);
    }
    process.stdout.write(`${formatTable(['METRIC', 'STEP', 'TIME', 'VALUE'], rows)}\n`);
  },
};
