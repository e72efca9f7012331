/**
 * The MLflow tracking client against the local workspace's MLflow API (in process), and its
 * refusals of tracking URIs that would take the sign-in elsewhere.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceClient } from '../../src/azure/workspaceClient';
import { azurePublicCloud, localCloud } from '../../src/azure/cloud';
import { createLocalWorkspaceCredential } from '../../src/azure/credentials';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { metricHistoryPages, readMetricHistory } from '../../src/azure/metricHistory';
import { createMachineLearningClient } from '../../src/azure/mlServiceClient';
import { MlflowTracking, trackingBaseUrl } from '../../src/azure/mlflowTracking';
import type { MetricPoint } from '../../src/azure/runMetrics';
import type { LocalWorkspaceConnection } from '../../src/local/discovery';
import { apiVersion, resourceGroup, startHarness, subscriptionId, token, waitFor, ws, type Harness } from '../local/workspaceApi/harness';
import { fixturesDir } from '../support/repo';
import { rejection } from '../support/rejection';
import { StubServer, stubCloud, stubCredential, testToken } from './stubServer';

function connectionTo(h: Harness): LocalWorkspaceConnection {
  return {
    ready: true, pid: process.pid, armEndpoint: h.base,
    blobEndpoint: 'http://127.0.0.1:9/devstoreaccount1', fileEndpoint: 'http://127.0.0.1:8/devstoreaccount1', queueEndpoint: 'http://127.0.0.1:7/devstoreaccount1',
    tenantId: '72f988bf-0000-0000-0000-000000000000', subscriptionId, resourceGroup, workspace: 'local', location: 'local',
    storageAccount: 'devstoreaccount1', token,
  };
}

/** Equal as numbers, NaN included. */
function samePoints(actual: MetricPoint[], expected: MetricPoint[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((point, i) => {
    const want = expected[i]!;
    assert.ok(point.step === want.step && point.timestamp === want.timestamp && Object.is(point.value, want.value), `point ${i}: ${JSON.stringify({ ...point, value: String(point.value) })}`);
  });
}

describe('MLflow tracking client', () => {
  let h: Harness;
  let client: WorkspaceClient;

  beforeEach(async () => {
    h = await startHarness();
    const reply = await h.call('PUT', `${ws}/jobs/train_1?${apiVersion}`, {
      properties: { jobType: 'Command', command: 'python train.py', environmentId: 'e', experimentName: 'exp', displayName: 'Train one' },
    });
    assert.equal(reply.status, 201, reply.text);
    client = connectLocalWorkspace(connectionTo(h)).workspaceClient;
  });
  afterEach(() => h.close());

  it('logs a batch (NaN and ±Infinity too) and reads every point back exactly, in step order, across pages', async () => {
    const points: MetricPoint[] = Array.from({ length: 25 }, (_, i) => ({ step: i, value: i === 7 ? NaN : i === 8 ? Infinity : i === 9 ? -Infinity : 1 / (i + 1), timestamp: 1_700_000_000_000 + i * 10 }));
    const shuffled = [...points].reverse();
    await client.metrics.logBatch('train_1', {
      metrics: shuffled.map((p) => ({ key: 'loss', ...p })),
      params: { learning_rate: '0.01', max_depth: '6' },
      tags: { purpose: 'test' },
    });
    await client.metrics.logMetric('train_1', { key: 'accuracy', step: 0, value: 0.5, timestamp: 1_700_000_000_000 });
    await client.metrics.logParameter('train_1', 'optimizer', 'adam');
    await client.metrics.setTag('train_1', 'note', 'hi');

    const pages: MetricPoint[][] = [];
    for await (const page of metricHistoryPages(client.metrics, 'train_1', 'loss', { pageSize: 4 })) pages.push(page);
    assert.equal(pages.length, 7);
    samePoints(pages.flat(), points);
    samePoints(await readMetricHistory(client.metrics, 'train_1', 'loss'), points);

    const run = await client.metrics.getRun('train_1');
    assert.equal(run.runId, 'train_1');
    assert.equal(run.runName, 'Train one');
    assert.equal(run.status, 'SCHEDULED');
    assert.deepEqual(run.params, { learning_rate: '0.01', max_depth: '6', optimizer: 'adam' });
    assert.equal(run.tags['purpose'], 'test');
    assert.equal(run.tags['note'], 'hi');
    assert.deepEqual(run.metrics['loss'], { key: 'loss', step: 24, value: 1 / 25, timestamp: 1_700_000_000_240 });
    assert.deepEqual(run.metrics['accuracy'], { key: 'accuracy', step: 0, value: 0.5, timestamp: 1_700_000_000_000 });
    assert.equal(typeof run.startTime, 'number');

    const experiment = await client.metrics.getExperimentByName('exp');
    const found = await client.metrics.searchRuns([experiment.experimentId], { filter: "params.max_depth = '6'" });
    assert.deepEqual(found.runs.map((r) => r.runId), ['train_1']);
  });

  it('a run without metrics reads as empty; an unknown or deleted run is RunNotFound', async () => {
    const run = await client.metrics.getRun('train_1');
    assert.deepEqual(run.metrics, {});
    assert.deepEqual(await readMetricHistory(client.metrics, 'train_1', 'loss'), []);

    const unknown = await rejection(client.metrics.getRun('no_such_run'));
    assert.equal(unknown.code, 'RunNotFound');
    assert.match(unknown.message, /no_such_run/);
    const history = await rejection(client.metrics.getMetricHistoryPage('no_such_run', 'loss'));
    assert.equal(history.code, 'RunNotFound');
    const logging = await rejection(client.metrics.logMetric('no_such_run', { key: 'a', step: 0, value: 1, timestamp: 1 }));
    assert.equal(logging.code, 'RunNotFound');

    await client.metrics.logMetric('train_1', { key: 'loss', step: 0, value: 1, timestamp: 1 });
    await client.jobs.cancel('train_1');
    await waitFor(async () => (await client.jobs.get('train_1')).status === 'Canceled');
    assert.equal((await h.call('DELETE', `${ws}/jobs/train_1?${apiVersion}`)).status, 200);
    const deleted = await rejection(client.metrics.getMetricHistoryPage('train_1', 'loss'));
    assert.equal(deleted.code, 'RunNotFound');
    assert.match(deleted.message, /"train_1" was not found .*deleted/);
  });

  it("a service error reaches the caller with the service's message", async () => {
    const error = await rejection(client.metrics.logBatch('train_1', { metrics: [{ key: 'bad key?', step: 0, value: 1, timestamp: 1 }] }));
    assert.equal(error.code, 'INVALID_PARAMETER_VALUE');
    assert.equal(error.status, 400);
    assert.match(error.message, /Invalid metric name: 'bad key\?'/);
  });

  it('uses whatever path the tracking URI names (mlflow/v2.0 as in current traffic)', async () => {
    const cloud = localCloud(connectionTo(h));
    const mlClient = createMachineLearningClient(cloud, createLocalWorkspaceCredential(connectionTo(h)), subscriptionId);
    const tracking = new MlflowTracking(
      { cloud, client: mlClient, workspace: { subscriptionId, resourceGroup, workspaceName: 'local' } },
      async () => `azureml://${new URL(h.base).host}/mlflow/v2.0${ws}`,
    );
    await tracking.logMetric('train_1', { key: 'x', step: 3, value: 2, timestamp: 5 });
    assert.deepEqual((await tracking.getMetricHistoryPage('train_1', 'x')).points, [{ step: 3, value: 2, timestamp: 5 }]);
  });

  it('an abort ends a read with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readMetricHistory(client.metrics, 'train_1', 'loss', { signal: controller.signal }), { name: 'AbortError' });
  });

  it('reads azureml:// as https:// and never sends the sign-in to a host outside the cloud', async () => {
    assert.equal(trackingBaseUrl(azurePublicCloud, 'azureml://eastus2.api.azureml.ms/mlflow/v2.0/subscriptions/s/x/'), 'https://eastus2.api.azureml.ms/mlflow/v2.0/subscriptions/s/x');
    assert.equal(trackingBaseUrl(azurePublicCloud, 'azureml://127.0.0.1:5/mlflow/v1.0/x'), 'https://127.0.0.1:5/mlflow/v1.0/x', 'plain http only for the local workspace');
    let tokenAsked = false;
    const credential = { getToken: async () => { tokenAsked = true; return { token: 'secret', expiresOnTimestamp: Date.now() + 60_000 }; } };
    for (const uri of ['azureml://evil.example.com/mlflow/v1.0/x', `azureml://${new URL(h.base).host}/mlflow/v1.0/x`, 'http://eastus.api.azureml.ms/mlflow/v1.0/x']) {
      const tracking = new MlflowTracking(
        { cloud: azurePublicCloud, client: createMachineLearningClient(azurePublicCloud, credential, subscriptionId), workspace: { subscriptionId, resourceGroup, workspaceName: 'w' } },
        async () => uri,
      );
      const error = await rejection(tracking.getRun('train_1'));
      assert.equal(error.code, 'UntrustedHost', uri);
    }
    assert.equal(tokenAsked, false);
  });

  it('reads the shapes real services answer: the recorded workspace, int64 as strings or numbers, MLflow and ARM error bodies', async () => {
    const recording = JSON.parse(await fs.readFile(path.join(fixturesDir, '..', 'azureml-recorded', 'mlflow-logging-metrics.json'), 'utf8')) as {
      Entries: Array<{ RequestUri: string; ResponseBody: { properties: { mlFlowTrackingUri: string } } }>;
    };
    const workspace = recording.Entries[0]!.ResponseBody;
    const recordedPath = new URL(workspace.properties.mlFlowTrackingUri.replace(/^azureml:/, 'https:')).pathname;
    const stub = await StubServer.start();
    try {
      // The recorded workspace, its tracking host moved to the stub; the path is kept as recorded (mlflow/v1.0).
      const trackingUri = `azureml://${new URL(stub.url).host}${recordedPath}`;
      stub.answer((request) => {
        if (request.pathname.endsWith('/workspaces/00000')) return { status: 200, body: { ...workspace, properties: { ...workspace.properties, mlFlowTrackingUri: trackingUri } } };
        if (request.pathname.endsWith('/api/2.0/mlflow/runs/get')) {
          if (request.query.get('run_id') === 'gone') return { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=gone not found.' } };
          return {
            status: 200,
            body: {
              run: {
                info: { run_uuid: 'r1', run_id: 'r1', experiment_id: '41039c7f-7a99-44b0-9101-e11f7be37f81', run_name: 'test', status: 'FINISHED', start_time: '1730433600000', end_time: 1730433660000, lifecycle_stage: 'active' },
                data: { metrics: [{ key: 'loss', value: 'NaN', timestamp: '1730433610000', step: '3' }, { key: 'acc', value: 0.5, timestamp: 1730433610001, step: 2 }], params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 'mlflow.runName', value: 'test' }] },
              },
            },
          };
        }
        if (request.pathname.endsWith('/api/2.0/mlflow/metrics/get-history')) {
          return { status: 200, body: { metrics: [{ key: 'loss', value: '-Infinity', timestamp: '5', step: 0 }, { key: 'loss', value: 1e-3, timestamp: 6, step: '1' }], next_page_token: '' } };
        }
        return { status: 400, body: { error: { code: 'UserError', message: 'Filter "x" is not supported by Azure ML.' } } };
      });
      const azure = new WorkspaceClient({ cloud: stubCloud(stub), credential: stubCredential(), subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: '00000', workspaceName: '00000' });

      const run = await azure.metrics.getRun('r1');
      assert.equal(stub.lastRequest.pathname, `${recordedPath}/api/2.0/mlflow/runs/get`);
      assert.equal(stub.lastRequest.headers.authorization, `Bearer ${testToken}`);
      assert.deepEqual({ ...run, metrics: undefined }, {
        runId: 'r1', experimentId: '41039c7f-7a99-44b0-9101-e11f7be37f81', runName: 'test', status: 'FINISHED',
        startTime: 1730433600000, endTime: 1730433660000, params: { lr: '0.1' }, tags: { 'mlflow.runName': 'test' }, metrics: undefined,
      });
      assert.ok(Number.isNaN(run.metrics['loss']!.value) && run.metrics['loss']!.step === 3 && run.metrics['loss']!.timestamp === 1730433610000);
      assert.deepEqual(run.metrics['acc'], { key: 'acc', value: 0.5, timestamp: 1730433610001, step: 2 });

      const page = await azure.metrics.getMetricHistoryPage('r1', 'loss');
      assert.deepEqual(page, { points: [{ step: 0, value: -Infinity, timestamp: 5 }, { step: 1, value: 1e-3, timestamp: 6 }] }, 'an empty next_page_token is the last page');

      assert.equal((await rejection(azure.metrics.getRun('gone'))).code, 'RunNotFound');
      const refused = await rejection(azure.metrics.searchRuns(['e'], { filter: 'x' }));
      assert.equal(refused.message, 'Filter "x" is not supported by Azure ML.');
      assert.equal(refused.code, 'UserError');
    } finally {
      await stub.close();
    }
  });
});
