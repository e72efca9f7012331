import * as l10n from '@vscode/l10n';
import { abortError, AzureMlError } from './errors';
import type { MetricPoint, RunMetricsSource } from './runMetrics';

export interface MetricHistoryOptions {
  /** Points asked for per page; the service's default when undefined. */
  pageSize?: number;
  signal?: AbortSignal;
}

/** Every page of one metric's history, in order, following page tokens until the last page. */
export async function* metricHistoryPages(
  source: RunMetricsSource,
  runId: string,
  metricKey: string,
  options: MetricHistoryOptions = {},
): AsyncGenerator<MetricPoint[], void, undefined> {
  let pageToken: string | undefined;
  const seen = new Set<string>();
  do {
    if (options.signal?.aborted) throw abortError();
    const page = await source.getMetricHistoryPage(runId, metricKey, {
      ...(pageToken !== undefined ? { pageToken } : {}),
      ...(options.pageSize !== undefined ? { maxResults: options.pageSize } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    yield page.points;
    pageToken = page.nextPageToken;
    if (pageToken !== undefined) {
      if (seen.has(pageToken)) {
        throw new AzureMlError(l10n.t('The tracking service answered the same page of metric "{0}" twice; the history cannot be read to its end.', metricKey), undefined, 'PagingLoop');
      }
      seen.add(pageToken);
    }
  } while (pageToken !== undefined);
}

/** One metric's whole history. */
export async function readMetricHistory(
  source: RunMetricsSource,
  runId: string,
  metricKey: string,
  options: MetricHistoryOptions = {},
): Promise<MetricPoint[]> {
  const points: MetricPoint[] = [];
  for await (const page of metricHistoryPages(source, runId, metricKey, options)) points.push(...page);
  return points;
}
