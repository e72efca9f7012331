import type { LatestMetric, MetricPoint, RunMetricsSource, TrackedRun } from '../../azure/runMetrics';
import { mergePoints } from './series';

/** Where the next fetch of one metric starts. */
interface Cursor {
  /** The page token that started the last (short) page; undefined: the first page. */
  token?: string;
  /** Points that last page held: asked for again as one page of exactly that size, whose next token then points past them. */
  held: number;
  /** The latest point `runs/get` reported when this metric was last fetched. */
  latest?: LatestMetric;
  /** Its steps were seen not to count its points (a read ended before the step gap said): no more estimates. */
  stepsMislead?: boolean;
}

/** Counts for the benchmark and the tests: how much was asked for and how much was new. */
export interface FollowerStats {
  pagesFetched: number;
  pointsFetched: number;
  pointsNew: number;
}

export const defaultHistoryPageSize = 5000;
/** A metric's first page is small, so its chart draws before the longer pages arrive. */
const firstPageSize = 1000;
/** Metrics whose history is read at the same time (each one's pages stay in order). */
const metricsInParallel = 4;

/**
 * Holds the exact history of every metric of one run and fetches what is new. A metric is
 * fetched again only when `runs/get` reports a latest point other than the one seen at its last
 * fetch. MLflow's get-history has no "since" and its tokens are opaque (Azure's too): a token
 * exists only where a page ended with more to come, and the last page has none. So a changed
 * metric is read again from the token of its last page. What is fetched twice is that page, and
 * it is kept to one point: the step gap that `runs/get` reports (a run logs step 1, 2, 3, …) says
 * how many points are new, and the pages are sized to end one point before the end, so the last
 * page, where the next read starts, holds a single point. Where the steps do not count the points
 * (a read ends before the gap said), the metric is read as before: its last page again, asking
 * for exactly the points it held, then full pages. Points already held are dropped (same step
 * and timestamp), so none appears twice.
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
   * can pass them on before the whole history is in. The metrics take turns, a page each (a few
   * at a time), so every chart gets its first page before any metric's tail. `afterFirstPages`,
   * when given, is awaited once every metric has its first page, before the rest is read.
   */
  async update(
    run: TrackedRun,
    signal?: AbortSignal,
    onPage?: (key: string, added: MetricPoint[]) => void,
    afterFirstPages?: () => Promise<void>,
  ): Promise<Map<string, MetricPoint[]>> {
    const changed = new Map<string, MetricPoint[]>();
    let reads: MetricRead[] = Object.keys(run.metrics).sort().flatMap((key) => {
      const latest = run.metrics[key];
      const cursor = this.cursors.get(key) ?? { held: 0 };
      if (cursor.latest && cursor.latest.step === latest.step && cursor.latest.timestamp === latest.timestamp
        && Object.is(cursor.latest.value, latest.value)) return [];
      this.cursors.set(key, cursor);
      const newPoints = this.newPointsByStep(key, latest, cursor);
      const beforeLast = newPoints === undefined ? undefined : cursor.held + newPoints - 1;
      const size = beforeLast !== undefined ? Math.min(this.pageSize, beforeLast)
        : cursor.held || (cursor.latest ? this.pageSize : Math.min(this.pageSize, firstPageSize));
      return [{ key, latest, cursor, token: cursor.token, size, ...(beforeLast !== undefined ? { beforeLast } : {}), done: false }];
    });
    while (reads.length > 0) {
      const round = [...reads];
      const worker = async (): Promise<void> => {
        for (let read = round.shift(); read !== undefined; read = round.shift()) {
          const fresh = await this.fetchPage(read, signal);
          if (fresh.length === 0) continue;
          changed.set(read.key, [...(changed.get(read.key) ?? []), ...fresh]);
          onPage?.(read.key, fresh);
        }
      };
      await Promise.all(Array.from({ length: metricsInParallel }, worker));
      reads = reads.filter((r) => !r.done);
      if (afterFirstPages && reads.length > 0) await afterFirstPages();
      afterFirstPages = undefined;
    }
    return changed;
  }

  /** How many points are new by the step gap since the last point held; undefined where that cannot be told. */
  private newPointsByStep(key: string, latest: LatestMetric, cursor: Cursor): number | undefined {
    const last = this.series.get(key)?.at(-1);
    if (!cursor.latest || cursor.held === 0 || cursor.stepsMislead || !last) return undefined;
    const gap = latest.step - last.step;
    return Number.isSafeInteger(gap) && gap >= 1 ? gap : undefined;
  }

  /** One page of one metric; its new points. */
  private async fetchPage(read: MetricRead, signal: AbortSignal | undefined): Promise<MetricPoint[]> {
    let series = this.series.get(read.key);
    if (!series) this.series.set(read.key, (series = []));
    const page = await this.source.getMetricHistoryPage(this.runId, read.key, { pageToken: read.token, maxResults: read.size, signal });
    this.stats.pagesFetched++;
    this.stats.pointsFetched += page.points.length;
    const fresh = mergePoints(series, page.points);
    this.stats.pointsNew += fresh.length;
    if (page.nextPageToken) {
      read.token = page.nextPageToken;
      read.size = this.pageSize;
      if (read.beforeLast !== undefined) {
        read.beforeLast -= page.points.length;
        if (read.beforeLast > 0) read.size = Math.min(this.pageSize, read.beforeLast);
        else delete read.beforeLast;
      }
    } else {
      if (read.beforeLast !== undefined) read.cursor.stepsMislead = true;
      // The last page is where the next fetch resumes: the pages before it are complete.
      read.cursor.token = read.token;
      read.cursor.held = page.points.length;
      read.cursor.latest = read.latest;
      read.done = true;
    }
    return fresh;
  }
}

/** One metric being read in this update. */
interface MetricRead {
  key: string;
  latest: LatestMetric;
  cursor: Cursor;
  token?: string;
  /** max_results of the next request. */
  size: number;
  /** Points still to read before the last one (by the step gap): the pages end there, so the last page holds one point. */
  beforeLast?: number;
  done: boolean;
}
