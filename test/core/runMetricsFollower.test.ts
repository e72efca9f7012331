/**
 * The run metrics panels' data: MetricHistoryFollower against the real local workspace service
 * (dist/local.js) and its MLflow tracking API, as Run Details and Compare Runs read it.
 */
import * as assert from 'node:assert/strict';
import { connectLocalWorkspace, type LocalWorkspaceClients } from '../../src/azure/localWorkspace';
import type { MetricPoint } from '../../src/azure/runMetrics';
import { MetricHistoryFollower } from '../../src/core/metrics/historyFollower';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

const t0 = 1_760_000_000_000;

/** 3 metrics × 2,000 steps; loss has a NaN and an Infinity, as a diverging run logs them. */
function history(steps: number, from = 0): Record<string, MetricPoint[]> {
  const points = (f: (s: number) => number): MetricPoint[] =>
    Array.from({ length: steps }, (_, i) => ({ step: from + i, value: f(from + i), timestamp: t0 + (from + i) * 10 }));
  const loss = points((s) => 1 / (s + 1) + (s % 7) * 1e-3);
  if (from === 0 && steps > 1500) {
    loss[500].value = NaN;
    loss[1500].value = Infinity;
  }
  return { loss, accuracy: points((s) => 1 - 1 / (s + 2)), lr: points((s) => 0.1 * 0.999 ** s) };
}

describe('run metrics panels: the exact history, read page by page from the local workspace', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let clients: LocalWorkspaceClients;

  before(async () => {
    local = await startLocalWorkspace();
    clients = connectLocalWorkspace(local.connection);
  });
  after(async () => {
    await local?.dispose();
  });

  async function runWith(name: string, metrics: Record<string, MetricPoint[]>, params: Record<string, string> = {}): Promise<void> {
    await clients.workspaceClient.jobs.createCommandJob({ name, command: 'echo metrics', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: 'metrics-panels' });
    if (Object.keys(params).length > 0) await clients.workspaceClient.metrics.logBatch(name, { params });
    await log(name, metrics);
  }

  async function log(name: string, metrics: Record<string, MetricPoint[]>): Promise<void> {
    const all = Object.entries(metrics).flatMap(([key, points]) => points.map((p) => ({ key, ...p })));
    // MLflow takes at most 1,000 metrics per batch.
    for (let i = 0; i < all.length; i += 1000) {
      await clients.workspaceClient.metrics.logBatch(name, { metrics: all.slice(i, i + 1000) });
    }
  }

  function assertSame(actual: readonly MetricPoint[] | undefined, expected: readonly MetricPoint[], label: string): void {
    assert.ok(actual, `${label}: no points`);
    assert.equal(actual.length, expected.length, `${label}: ${actual.length} points, ${expected.length} logged`);
    for (let i = 0; i < expected.length; i++) {
      const [a, e] = [actual[i], expected[i]];
      assert.ok(a.step === e.step && a.timestamp === e.timestamp && Object.is(a.value, e.value),
        `${label}[${i}]: ${JSON.stringify([a.step, String(a.value), a.timestamp])} ≠ ${JSON.stringify([e.step, String(e.value), e.timestamp])}`);
    }
  }

  it('returns every point of 3 metrics × 2,000 steps exactly and in step order (NaN, Infinity included) across get-history pages', async () => {
    const logged = history(2000);
    await runWith('metrics_exact', logged, { learning_rate: '0.1', optimizer: 'adam' });
    const run = await clients.workspaceClient.metrics.getRun('metrics_exact');
    assert.deepEqual(run.params, { learning_rate: '0.1', optimizer: 'adam' });

    const follower = new MetricHistoryFollower(clients.workspaceClient.metrics, 'metrics_exact', 300);
    const pages: number[] = [];
    const order: string[] = [];
    await follower.update(run, undefined, (key, added) => {
      pages.push(added.length);
      order.push(key);
    });
    assert.deepEqual(new Set(order.slice(0, 3)), new Set(['accuracy', 'loss', 'lr']), 'every metric gets its first page before any gets a second');
    for (const key of Object.keys(logged)) assertSame(follower.metrics.get(key), logged[key], key);
    assert.ok(pages.length >= 3 * 7, `${pages.length} pages passed on as they came`);
    assert.equal(follower.stats.pointsNew, 6000);
    assert.equal(follower.stats.pointsFetched, 6000, 'nothing fetched twice on the first read');
  });

  it('reads only each metric\'s first page until the caller is ready for the rest (the panel: until its webview started), then the rest, nothing twice', async () => {
    const logged = history(2000);
    await runWith('metrics_first_pages', logged);
    const run = await clients.workspaceClient.metrics.getRun('metrics_first_pages');
    const follower = new MetricHistoryFollower(clients.workspaceClient.metrics, 'metrics_first_pages', 300);
    let release: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => { release = resolve; });
    let asked = 0;
    let firstPagesRead: () => void = () => undefined;
    const gateReached = new Promise<void>((resolve) => { firstPagesRead = resolve; });
    const reading = follower.update(run, undefined, undefined, () => {
      asked++;
      firstPagesRead();
      return ready;
    });
    await Promise.race([gateReached, reading]);
    assert.equal(asked, 1, 'asked once every metric had its first page');
    // While the caller is not ready, each metric holds its first page and nothing more is read.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(follower.stats.pagesFetched, 3);
    assert.deepEqual([...follower.metrics.values()].map((points) => points.length), [300, 300, 300]);
    release();
    await reading;
    assert.equal(asked, 1);
    for (const key of Object.keys(logged)) assertSame(follower.metrics.get(key), logged[key], key);
    assert.equal(follower.stats.pointsFetched, 6000, 'nothing fetched twice');
  });

  it('asks a metric again only when it has new points, fetches at most its last page again, and holds none twice', async () => {
    await runWith('metrics_growing', { loss: history(1000).loss, lr: history(1000).lr });
    const follower = new MetricHistoryFollower(clients.workspaceClient.metrics, 'metrics_growing', 300);
    await follower.update(await clients.workspaceClient.metrics.getRun('metrics_growing'));
    assert.equal(follower.stats.pointsFetched, 2000);

    // Nothing new: runs/get only, no history fetched.
    const pagesBefore = follower.stats.pagesFetched;
    assert.equal((await follower.update(await clients.workspaceClient.metrics.getRun('metrics_growing'))).size, 0);
    assert.equal(follower.stats.pagesFetched, pagesBefore);

    // 250 more loss points: only loss is fetched again, from its last (short) page on.
    const more = history(250, 1000).loss;
    await log('metrics_growing', { loss: more });
    const added = await follower.update(await clients.workspaceClient.metrics.getRun('metrics_growing'));
    assert.deepEqual([...added.keys()], ['loss']);
    assertSame(added.get('loss'), more, 'new loss points');
    assertSame(follower.metrics.get('loss'), [...history(1000).loss, ...more], 'loss');
    const refetched = follower.stats.pointsFetched - 2000 - 250;
    assert.ok(refetched >= 0 && refetched < 300, `${refetched} points fetched again (at most the last page)`);
  });
  it('a poll fetches the new points and one point held already (the step gap sizes the pages), and nothing when nothing is new', async () => {
    const lossFrom = (from: number, steps: number): MetricPoint[] => history(steps, from).loss;
    await runWith('metrics_live', { loss: lossFrom(0, 1000) });
    const follower = new MetricHistoryFollower(clients.workspaceClient.metrics, 'metrics_live', 300);
    const poll = async (): Promise<{ fetched: number; pages: number; added: number }> => {
      const before = { ...follower.stats };
      await follower.update(await clients.workspaceClient.metrics.getRun('metrics_live'));
      return { fetched: follower.stats.pointsFetched - before.pointsFetched, pages: follower.stats.pagesFetched - before.pagesFetched, added: follower.stats.pointsNew - before.pointsNew };
    };
    // Pages of 300, 300, 300 and a last one of 100.
    assert.deepEqual(await poll(), { fetched: 1000, pages: 4, added: 1000 });

    // The first poll reads the last page of 100 again (its token is the only way to the new points), ending one point
    // before the end; the single point after it is where every later poll starts.
    await log('metrics_live', { loss: lossFrom(1000, 40) });
    assert.deepEqual(await poll(), { fetched: 100 + 40, pages: 2, added: 40 });
    await log('metrics_live', { loss: lossFrom(1040, 40) });
    assert.deepEqual(await poll(), { fetched: 1 + 40, pages: 2, added: 40 }, 'a poll after 40 new points reads those and one point it had');
    await log('metrics_live', { loss: lossFrom(1080, 25) });
    assert.deepEqual(await poll(), { fetched: 1 + 25, pages: 2, added: 25 });

    assert.deepEqual(await poll(), { fetched: 0, pages: 0, added: 0 }, 'nothing new: no history page fetched');

    // More than a page at once: pages of 300, 300, 100, then the last point.
    await log('metrics_live', { loss: lossFrom(1105, 700) });
    assert.deepEqual(await poll(), { fetched: 1 + 700, pages: 4, added: 700 });
    await log('metrics_live', { loss: lossFrom(1805, 5) });
    assert.deepEqual(await poll(), { fetched: 1 + 5, pages: 2, added: 5 });
    assertSame(follower.metrics.get('loss'), [1000, 40, 40, 25, 700, 5].reduce<MetricPoint[]>((all, n) => [...all, ...lossFrom(all.length, n)], []), 'loss');
  });

  it('a metric whose steps do not count its points (logged every 10th step) is read as before: its last page again, then the new points', async () => {
    const everyTenth = (from: number, count: number): MetricPoint[] => history(count * 10, from * 10).loss.filter((p) => p.step % 10 === 0);
    await runWith('metrics_sparse', { loss: everyTenth(0, 100) });
    const follower = new MetricHistoryFollower(clients.workspaceClient.metrics, 'metrics_sparse', 300);
    const poll = async (): Promise<{ fetched: number; added: number }> => {
      const before = { ...follower.stats };
      await follower.update(await clients.workspaceClient.metrics.getRun('metrics_sparse'));
      return { fetched: follower.stats.pointsFetched - before.pointsFetched, added: follower.stats.pointsNew - before.pointsNew };
    };
    assert.deepEqual(await poll(), { fetched: 100, added: 100 });
    // The gap says 200 new, there are 20: the read ends early, and the steps are not trusted again.
    await log('metrics_sparse', { loss: everyTenth(100, 20) });
    assert.deepEqual(await poll(), { fetched: 100 + 20, added: 20 });
    await log('metrics_sparse', { loss: everyTenth(120, 20) });
    assert.deepEqual(await poll(), { fetched: 120 + 20, added: 20 }, 'read as before: the last page again (what the previous read ended with), then the new points');
    await log('metrics_sparse', { loss: everyTenth(140, 20) });
    assert.deepEqual(await poll(), { fetched: 20 + 20, added: 20 }, 'and from then on only the previous poll\'s points again');
    assertSame(follower.metrics.get('loss'), [...everyTenth(0, 100), ...everyTenth(100, 20), ...everyTenth(120, 20), ...everyTenth(140, 20)], 'loss');
  });
});
