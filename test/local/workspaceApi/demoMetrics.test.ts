import * as assert from 'node:assert/strict';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { startDemoProgress, type DemoProgress } from '../../../src/local/demoProgress';
import { startAzuriteBlob, type RunningAzurite } from './azurite';
import { apiVersion, startHarness, waitFor, ws, type Harness, type Json } from './harness';

const mlflow = `/mlflow/v1.0${ws}/api/2.0/mlflow`;

async function history(h: Harness, runId: string, key: string): Promise<Json[]> {
  const reply = await h.call('GET', `${mlflow}/metrics/get-history?run_id=${runId}&metric_key=${key}`);
  assert.equal(reply.status, 200, reply.text);
  return reply.body.metrics;
}

async function demoJobs(h: Harness): Promise<Json[]> {
  const jobs: Json[] = [];
  let next: string | undefined = `${ws}/jobs?${apiVersion}&listViewType=All`;
  while (next) {
    const page: Json = (await h.call('GET', next.startsWith('http') ? next.slice(h.base.length) : next)).body;
    jobs.push(...page.value);
    next = page.nextLink;
  }
  return jobs;
}

describe('workspace API: demo metrics', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let h: Harness;
  let progress: DemoProgress | undefined;

  before(async () => {
    azurite = await startAzuriteBlob();
  });
  after(async () => {
    await azurite?.stop();
  });
  beforeEach(async () => {
    h = await startHarness({ pageSize: 100, storage: azurite });
    await new ContainerClient(`${azurite.blobEndpoint}/azureml`, new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey)).createIfNotExists();
    await h.api.seedDemo();
  });
  afterEach(async () => {
    await progress?.stop();
    progress = undefined;
    await h.close();
  });

  it('seeded runs have params and hundreds of steps of loss, val_loss, accuracy and learning_rate; the same on every seed', async () => {
    const jobs = await demoJobs(h);
    const completed = jobs.filter((j) => j.properties.status === 'Completed');
    const run = (await h.call('GET', `${mlflow}/runs/get?run_id=${completed[0].name}`)).body.run;
    assert.deepEqual(run.data.metrics.map((m: Json) => m.key).sort(), ['accuracy', 'learning_rate', 'loss', 'val_loss']);
    const params = Object.fromEntries(run.data.params.map((p: Json) => [p.key, p.value]));
    assert.ok(params.learning_rate && (params.max_depth || params.epochs), JSON.stringify(params));
    for (const job of completed.slice(0, 5)) {
      const loss = await history(h, job.name, 'loss');
      assert.ok(loss.length >= 150, `${job.name}: ${loss.length} steps`);
      assert.deepEqual(loss.map((p) => Number(p.step)), loss.map((_, i) => i));
      assert.ok(Number(loss[loss.length - 1].value) < Number(loss[0].value) * 0.6, 'loss falls');
      const accuracy = await history(h, job.name, 'accuracy');
      assert.ok(Number(accuracy[accuracy.length - 1].value) > Number(accuracy[0].value), 'accuracy rises');
    }
    const queued = jobs.find((j) => j.properties.status === 'Queued');
    assert.deepEqual((await h.call('GET', `${mlflow}/runs/get?run_id=${queued.name}`)).body.run.data.metrics, [], 'a queued run has logged nothing');

    const before = await history(h, completed[0].name, 'val_loss');
    await h.api.seedDemo();
    assert.deepEqual(await history(h, completed[0].name, 'val_loss'), before, 'seeding again adds nothing');
  });

  it('the demo\'s Running and Queued runs progress (metrics and log grow) and then complete, continuing after a restart', async () => {
    const jobs = await demoJobs(h);
    const running = jobs.find((j) => j.properties.status === 'Running').name as string;
    const queued = jobs.find((j) => j.properties.status === 'Queued').name as string;
    const seeded = (await history(h, running, 'loss')).length;
    assert.ok(seeded > 0);

    const start = (): DemoProgress => startDemoProgress({ api: h.api, storage: azurite, tickMs: 5, log: () => undefined });
    progress = start();
    await waitFor(async () => (await history(h, running, 'loss')).length > seeded + 10, 60_000);
    await progress.stop();
    const midway = (await history(h, running, 'loss')).length;

    await h.restart();
    progress = start();
    const status = async (name: string): Promise<string> => (await h.call('GET', `${ws}/jobs/${name}?${apiVersion}`)).body.properties.status;
    await waitFor(async () => (await status(running)) === 'Completed' && (await status(queued)) === 'Completed', 90_000);

    const loss = await history(h, running, 'loss');
    assert.ok(loss.length > midway);
    assert.deepEqual(loss.map((p) => Number(p.step)), loss.map((_, i) => i), 'every step once, none repeated across the restart');
    const queuedLoss = await history(h, queued, 'loss');
    assert.ok(queuedLoss.length >= 150);
    const details = (await h.call('GET', `/history/v1.0${ws}/runs/${running}/details`)).body;
    const log = await (await fetch(details.logFiles['user_logs/std_log.txt'])).text();
    assert.match(log, /step\s+\d+\s+loss=/);
    assert.match(log, /training finished/);
    const queuedRun = (await h.call('GET', `${mlflow}/runs/get?run_id=${queued}`)).body.run;
    assert.equal(queuedRun.info.status, 'FINISHED');
    assert.ok(queuedRun.data.params.length > 0, 'params logged when it started');
  });
});
