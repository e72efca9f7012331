import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { trackingToken } from '../../../src/local/workspaceApi';
import { apiVersion, startHarness, token, waitFor, ws, type Harness, type Json } from './harness';

const mlflow = `/mlflow/v1.0${ws}/api/2.0/mlflow`;
const mlflowV2 = `/mlflow/v2.0${ws}/api/2.0/mlflow`;

async function createJob(h: Harness, name: string, experimentName = 'metrics-exp'): Promise<void> {
  const reply = await h.call('PUT', `${ws}/jobs/${name}?${apiVersion}`, {
    properties: { jobType: 'Command', command: 'python train.py', environmentId: 'e', experimentName, displayName: `${name} display`, tags: { team: 'ml' } },
  });
  assert.equal(reply.status, 201, reply.text);
}

describe('workspace API: MLflow tracking', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await createJob(h, 'run_a');
  });
  afterEach(() => h.close());

  it('the workspace names its tracking URI, and the API answers under both v1.0 and v2.0', async () => {
    const workspace = (await h.call('GET', `${ws}?${apiVersion}`)).body;
    assert.equal(workspace.properties.mlFlowTrackingUri, `azureml://${new URL(h.base).host}/mlflow/v1.0${ws}`);
    for (const base of [mlflow, mlflowV2]) {
      const reply = await h.call('GET', `${base}/runs/get?run_id=run_a`);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.run.info.run_id, 'run_a');
    }
  });

  it('log-batch stores points that get-history returns exactly, in step order, int64 as strings, across pages', async () => {
    const metrics: Json[] = [];
    // Logged out of order, with NaN and ±Infinity as MLflow sends them and int64s both ways.
    for (const step of [3, 0, 2, 1, 4]) metrics.push({ key: 'loss', value: 1 / (step + 1), timestamp: String(1_700_000_000_000 + step), step: String(step) });
    metrics.push({ key: 'loss', value: 'NaN', timestamp: 1_700_000_000_005, step: 5 });
    metrics.push({ key: 'loss', value: 'Infinity', timestamp: '1700000000006', step: 6 });
    metrics.push({ key: 'loss', value: '-Infinity', timestamp: '1700000000007', step: '7' });
    const logged = await h.call('POST', `${mlflow}/runs/log-batch`, {
      run_id: 'run_a', metrics, params: [{ key: 'learning_rate', value: '0.01' }], tags: [{ key: 'stage', value: 'dev' }],
    });
    assert.equal(logged.status, 200, logged.text);
    assert.deepEqual(logged.body, {});

    const points: Json[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const reply = await h.call('GET', `${mlflow}/metrics/get-history?run_id=run_a&metric_key=loss&max_results=3${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`);
      assert.equal(reply.status, 200, reply.text);
      points.push(...reply.body.metrics);
      pageToken = reply.body.next_page_token;
      pages++;
    } while (pageToken);
    assert.equal(pages, 3);
    assert.deepEqual(points.map((p) => p.step), ['0', '1', '2', '3', '4', '5', '6', '7']);
    assert.deepEqual(points.slice(5).map((p) => p.value), ['NaN', 'Infinity', '-Infinity']);
    assert.equal(points[2].value, 1 / 3);
    assert.equal(points[2].timestamp, '1700000000002');
    assert.equal(points[0].key, 'loss');

    const run = (await h.call('GET', `${mlflow}/runs/get?run_id=run_a`)).body.run;
    assert.deepEqual(run.data.metrics, [{ key: 'loss', value: '-Infinity', timestamp: '1700000000007', step: '7' }]);
    assert.deepEqual(run.data.params, [{ key: 'learning_rate', value: '0.01' }]);
    const tags = Object.fromEntries(run.data.tags.map((t: Json) => [t.key, t.value]));
    assert.equal(tags.stage, 'dev');
    assert.equal(tags.team, 'ml');
    assert.equal(tags['mlflow.runName'], 'run_a display');
    assert.equal(run.info.status, 'SCHEDULED', 'a NotStarted job is SCHEDULED');
    assert.equal(run.info.run_name, 'run_a display');
    assert.match(run.info.start_time, /^\d+$/);
    assert.match(run.info.experiment_id, /^[0-9a-f-]{36}$/);
  });

  it('log-metric, log-parameter and set-tag add to the run; a param cannot change value', async () => {
    assert.equal((await h.call('POST', `${mlflow}/runs/log-metric`, { run_id: 'run_a', run_uuid: 'run_a', key: 'acc', value: 0.5, timestamp: '1700000000000', step: 0 })).status, 200);
    assert.equal((await h.call('POST', `${mlflow}/runs/log-parameter`, { run_id: 'run_a', key: 'max_depth', value: '6' })).status, 200);
    assert.equal((await h.call('POST', `${mlflow}/runs/log-parameter`, { run_id: 'run_a', key: 'max_depth', value: '6' })).status, 200, 'the same value again is fine');
    assert.equal((await h.call('POST', `${mlflow}/runs/set-tag`, { run_id: 'run_a', key: 'note', value: 'hello' })).status, 200);
    const changed = await h.call('POST', `${mlflow}/runs/log-parameter`, { run_id: 'run_a', key: 'max_depth', value: '7' });
    assert.equal(changed.status, 400);
    assert.equal(changed.body.error_code, 'INVALID_PARAMETER_VALUE');
    assert.match(changed.body.message, /Changing param values is not allowed.*max_depth/);
    const run = (await h.call('GET', `${mlflow}/runs/get?run_id=run_a`)).body.run;
    assert.deepEqual(run.data.metrics, [{ key: 'acc', value: 0.5, timestamp: '1700000000000', step: '0' }]);
    assert.deepEqual(run.data.params, [{ key: 'max_depth', value: '6' }]);
  });

  it("runs/get reports each metric's latest point as MLflow orders them (highest step, then latest time; a tie goes to the last logged), before and after a restart", async () => {
    const latest = async (): Promise<Json> => (await h.call('GET', `${mlflow}/runs/get?run_id=run_a`)).body.run.data.metrics;
    const logBatch = async (metrics: Json[]): Promise<void> => {
      assert.equal((await h.call('POST', `${mlflow}/runs/log-batch`, { run_id: 'run_a', metrics })).status, 200);
    };
    await logBatch([{ key: 'loss', value: 0.5, timestamp: 2000, step: 5 }, { key: 'loss', value: 0.9, timestamp: 9000, step: 1 }]);
    assert.deepEqual(await latest(), [{ key: 'loss', value: 0.5, timestamp: '2000', step: '5' }], 'a higher step beats a later time');
    await logBatch([{ key: 'loss', value: 0.4, timestamp: 1000, step: 5 }]);
    assert.deepEqual(await latest(), [{ key: 'loss', value: 0.5, timestamp: '2000', step: '5' }], 'the same step logged earlier in time is not the latest');
    await logBatch([{ key: 'loss', value: 0.3, timestamp: 2000, step: 5 }]);
    assert.deepEqual(await latest(), [{ key: 'loss', value: 0.3, timestamp: '2000', step: '5' }], 'the same step and time: the one logged last');
    await h.restart();
    assert.deepEqual(await latest(), [{ key: 'loss', value: 0.3, timestamp: '2000', step: '5' }], 'after a restart');
  });

  it('refuses bad input with MLflow-shaped errors and stores nothing of a refused batch', async () => {
    const cases: Array<[Json, RegExp]> = [
      [{ run_id: 'run_a', metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: 1, timestamp: 1, step: i })) }, /at most 1000 metrics/],
      [{ run_id: 'run_a', params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })) }, /at most 100 params/],
      [{ run_id: 'run_a', tags: Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: '1' })) }, /at most 100 tags/],
      [{ run_id: 'run_a', metrics: [{ key: 'ok', value: 1, timestamp: 1, step: 0 }, { key: '../evil', value: 1, timestamp: 1, step: 0 }] }, /Invalid metric name/],
      [{ run_id: 'run_a', metrics: [{ key: 'ok', value: 'lots', timestamp: 1, step: 0 }] }, /must be a number, "NaN"/],
      [{ run_id: 'run_a', metrics: [{ key: 'ok', value: 1, timestamp: 'yesterday', step: 0 }] }, /'timestamp' must be an integer/],
      [{ metrics: [] }, /required parameter 'run_id'/],
    ];
    for (const [body, message] of cases) {
      const reply = await h.call('POST', `${mlflow}/runs/log-batch`, body);
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.body.error_code, 'INVALID_PARAMETER_VALUE');
      assert.match(reply.body.message, message);
    }
    const run = (await h.call('GET', `${mlflow}/runs/get?run_id=run_a`)).body.run;
    assert.deepEqual(run.data.metrics, []);
    assert.deepEqual(run.data.params, []);
  });

  it('an unknown or deleted run is RESOURCE_DOES_NOT_EXIST, and a new job of the same name starts empty', async () => {
    const missing = await h.call('GET', `${mlflow}/runs/get?run_id=nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    assert.match(missing.body.message, /nope/);
    const logTo = await h.call('POST', `${mlflow}/runs/log-metric`, { run_id: 'nope', key: 'a', value: 1, timestamp: 1 });
    assert.equal(logTo.status, 404);

    await createJob(h, 'run_gone');
    await h.call('POST', `${mlflow}/runs/log-metric`, { run_id: 'run_gone', key: 'a', value: 1, timestamp: 1 });
    await h.call('POST', `${ws}/jobs/run_gone/cancel?${apiVersion}`);
    await waitFor(async () => (await h.call('GET', `${ws}/jobs/run_gone?${apiVersion}`)).body.properties.status === 'Canceled');
    const deleted = await h.call('DELETE', `${ws}/jobs/run_gone?${apiVersion}`);
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal((await h.call('GET', `${mlflow}/metrics/get-history?run_id=run_gone&metric_key=a`)).body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    await createJob(h, 'run_gone');
    const fresh = (await h.call('GET', `${mlflow}/runs/get?run_id=run_gone`)).body.run;
    assert.deepEqual(fresh.data.metrics, []);
  });

  it('what was answered 2xx survives a restart', async () => {
    await h.call('POST', `${mlflow}/runs/log-batch`, {
      run_id: 'run_a', metrics: [{ key: 'loss', value: 'NaN', timestamp: '5', step: '1' }, { key: 'loss', value: 0.25, timestamp: '4', step: '0' }], params: [{ key: 'lr', value: '0.1' }],
    });
    await h.restart();
    const history = (await h.call('GET', `${mlflow}/metrics/get-history?run_id=run_a&metric_key=loss`)).body;
    assert.deepEqual(history.metrics, [
      { key: 'loss', value: 0.25, timestamp: '4', step: '0' },
      { key: 'loss', value: 'NaN', timestamp: '5', step: '1' },
    ]);
    assert.equal(history.next_page_token, undefined);
    assert.deepEqual((await h.call('GET', `${mlflow}/runs/get?run_id=run_a`)).body.run.data.params, [{ key: 'lr', value: '0.1' }]);
  });

  it('a failed write answers 500 StateNotSaved and logs nothing, in memory either', async () => {
    const workspaceId = (await h.call('GET', `${ws}?${apiVersion}`)).body.properties.workspaceId;
    const mlflowDir = path.join(h.stateDir, 'workspaces', workspaceId, 'mlflow');
    // A file where the folder goes stops root too.
    await fs.writeFile(mlflowDir, 'not a folder');
    const reply = await h.call('POST', `${mlflow}/runs/log-batch`, { run_id: 'run_a', metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }], params: [{ key: 'p', value: '1' }] });
    assert.equal(reply.status, 500, reply.text);
    assert.equal(reply.body.error.code, 'StateNotSaved');
    assert.match(reply.body.error.message, /could not save the change, so it was not made/);
    const run = (await h.call('GET', `${mlflow}/runs/get?run_id=run_a`)).body.run;
    assert.deepEqual([run.data.metrics, run.data.params], [[], []]);
    await fs.rm(mlflowDir);
    assert.equal((await h.call('POST', `${mlflow}/runs/log-batch`, { run_id: 'run_a', params: [{ key: 'p', value: '2' }] })).status, 200, 'the refused param left no trace');
  });

  it("a job's tracking token reaches only its workspace's MLflow routes", async () => {
    const jobToken = trackingToken(token, 'local');
    const asJob = { authorization: `Bearer ${jobToken}` };
    assert.equal((await h.call('POST', `${mlflow}/runs/log-metric`, { run_id: 'run_a', key: 'a', value: 1, timestamp: 1 }, asJob)).status, 200);
    assert.equal((await h.call('GET', `${ws}/jobs?${apiVersion}`, undefined, asJob)).status, 401, 'not the ARM API');
    assert.equal((await h.call('GET', `${mlflow}/runs/get?run_id=run_a`, undefined, { authorization: `Bearer ${trackingToken(token, 'other')}` })).status, 401, 'not another workspace');
    assert.equal((await h.call('GET', `${mlflow}/runs/get?run_id=run_a`, undefined, { authorization: 'Bearer wrong' })).status, 401);
  });

  it('runs/search filters by experiment, status and metric, pages, and refuses OR; get-by-name finds the experiment', async () => {
    await createJob(h, 'run_b');
    await createJob(h, 'run_other', 'other-exp');
    await h.call('POST', `${mlflow}/runs/log-metric`, { run_id: 'run_a', key: 'loss', value: 0.2, timestamp: 1 });
    await h.call('POST', `${mlflow}/runs/log-metric`, { run_id: 'run_b', key: 'loss', value: 0.9, timestamp: 1 });
    const experiment = (await h.call('GET', `${mlflow}/experiments/get-by-name?experiment_name=metrics-exp`)).body.experiment;
    assert.equal(experiment.name, 'metrics-exp');
    assert.match(experiment.creation_time, /^\d+$/);
    assert.deepEqual((await h.call('GET', `${mlflow}/experiments/get?experiment_id=${experiment.experiment_id}`)).body.experiment, experiment);
    const all = (await h.call('POST', `${mlflow}/runs/search`, { experiment_ids: [experiment.experiment_id], order_by: ['attributes.run_id ASC'] })).body;
    assert.deepEqual(all.runs.map((r: Json) => r.info.run_id), ['run_a', 'run_b']);
    const low = (await h.call('POST', `${mlflow}/runs/search`, { experiment_ids: [experiment.experiment_id], filter: "metrics.loss < 0.5 and attributes.status = 'SCHEDULED'" })).body;
    assert.deepEqual(low.runs.map((r: Json) => r.info.run_id), ['run_a']);
    const first = (await h.call('POST', `${mlflow}/runs/search`, { experiment_ids: [experiment.experiment_id], max_results: 1, order_by: ['run_id'] })).body;
    assert.equal(first.runs.length, 1);
    const second = (await h.call('POST', `${mlflow}/runs/search`, { experiment_ids: [experiment.experiment_id], max_results: 1, order_by: ['run_id'], page_token: first.next_page_token })).body;
    assert.deepEqual([first.runs[0].info.run_id, second.runs[0].info.run_id], ['run_a', 'run_b']);
    assert.equal(second.next_page_token, undefined);
    const or = await h.call('POST', `${mlflow}/runs/search`, { experiment_ids: [experiment.experiment_id], filter: "tags.a = 'x' or tags.b = 'y'" });
    assert.equal(or.status, 400);
    assert.match(or.body.message, /OR is not supported/);
    const unknown = await h.call('GET', `${mlflow}/experiments/get-by-name?experiment_name=nothing`);
    assert.equal(unknown.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
  });
});
