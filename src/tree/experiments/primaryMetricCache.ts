import type { LatestMetric, RunMetricsSource } from '../../azure/runMetrics';

/** How many runs/get requests one page of runs may have in flight. */
const concurrency = 4;

/**
 * The latest value of the primary metric (setting `azureml.runs.primaryMetric`) of each run, one
 * runs/get per run. Ended runs keep theirs; running ones are asked again on refresh.
 */
export class PrimaryMetricCache {
  private readonly latest = new Map<string, { key: string; metric?: LatestMetric; ended: boolean }>();

  get(runId: string, key: string): LatestMetric | undefined {
    const known = this.latest.get(runId);
    return known?.key === key ? known.metric : undefined;
  }

  /** Fetches what is missing for these runs, a few at a time; `onUpdate` after each arrives. */
  async fill(source: RunMetricsSource, runIds: readonly string[], key: string, onUpdate: (runId: string) => void): Promise<void> {
    const queue = runIds.filter((id) => {
      const known = this.latest.get(id);
      return !known || known.key !== key || !known.ended;
    });
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          const run = await source.getRun(id);
          const ended = run.status === 'FINISHED' || run.status === 'FAILED' || run.status === 'KILLED';
          this.latest.set(id, { key, metric: run.metrics[key], ended });
          onUpdate(id);
        } catch {
          // A nicety like the run details: the run still shows without it.
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
}
