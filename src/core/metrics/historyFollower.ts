import type { LatestMetric, MetricPoint, RunMetricsSource, TrackedRun } from '../../azure/runMetrics';
import { mergePoints } from './series';

/** Where the next fetch of one metric starts. */
interface Cursor {
  /** The page token that started the last (short) page; undefined: the first page. */
  token?: string;
  /** The latest point `runs/get` reported when this metric was last fetched. */
  latest?: LatestMetric;
}

/** Counts for the benchmark and the tests: how much was asked for and how much was new. */
export interface FollowerStats {
  pagesFetched: number;
  pointsFetched: number;
  pointsNew: number;
}

export const defaultHistoryPageSize = 5000;
/** Metrics whose history is read at the same time (each one's pages stay in order). */
const metricsInParallel = 4;

/**
 * Holds the exact history of every metric of one run and fetches what is new. A metric is
 * fetched again only when `runs/get` reports a latest point other than the one seen at its last
 * fetch, and then from the page token of its last page (MLflow's get-history has no "since"),
 * so at most that one short page comes again; points already held are dropped (same step and
 * timestamp), so none appears twice.
 */
export class MetricHistoryFollower {
  private readonly series = new Map<string, MetricPoint[]>();
  private readonly cursors = new Map<string, Cursor>();
  readonly stats: FollowerStats = { pagesFetched: 0, pointsFetched: 0, pointsNew: 0 };

  constructor(
    private readonly source: RunMetricsSource,
    readonly runId: string,
    private readonly pageSize = defaultHistoryPageSize,
  ) {}

  /** Every point held, per metric, in step order. */
  get metrics(): ReadonlyMap<string, readonly MetricPoint[]> {
    return this.series;
  }

  /**
   * Fetches the points of `run`'s metrics not held yet and returns them per metric (only
   * metrics with new points). `onPage` sees each metric's new points page by page, so a caller
   * can pass them on before the whole history is in.
   */
  async update(
    run: TrackedRun,
    signal?: AbortSignal,
    onPage?: (key: string, added: MetricPoint[]) => void,
  ): Promise<Map<string, MetricPoint[]>> {
    const changed = new Map<string, MetricPoint[]>();
    const queue = Object.keys(run.metrics).sort();
    const worker = async (): Promise<void> => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        const latest = run.metrics[key];
        const cursor = this.cursors.get(key) ?? {};
        if (cursor.latest && cursor.latest.step === latest.step && cursor.latest.timestamp === latest.timestamp
          && Object.is(cursor.latest.value, latest.value)) continue;
        const added = await this.fetchFrom(key, cursor, signal, onPage);
        cursor.latest = latest;
        this.cursors.set(key, cursor);
        if (added.length > 0) changed.set(key, added);
      }
    };
    await Promise.all(Array.from({ length: metricsInParallel }, worker));
    return changed;
  }

  private async fetchFrom(
    key: string,
    cursor: Cursor,
    signal: AbortSignal | undefined,
    onPage: ((key: string, added: MetricPoint[]) => void) | undefined,
  ): Promise<MetricPoint[]> {
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = []));
    const added: MetricPoint[] = [];
    let token = cursor.token;
    for (;;) {
      const page = await this.source.getMetricHistoryPage(this.runId, key, { pageToken: token, maxResults: this.pageSize, signal });
      this.stats.pagesFetched++;
      this.stats.pointsFetched += page.points.length;
      const fresh = mergePoints(series, page.points);
      this.stats.pointsNew += fresh.length;
      added.push(...fresh);
      if (fresh.length > 0) onPage?.(key, fresh);
      // The last page is where the next fetch resumes: the pages before it are complete.
      if (!page.nextPageToken) {
        cursor.token = token;
        break;
      }
      token = page.nextPageToken;
    }
    return added;
  }
}
