import { strict as assert } from 'node:assert';
import { loadRecording, ReplayServer, type RecordedEntry } from '../../support/replayServer';
import { recordedWorkspace, replayWorkspaceClient } from './replayClient';

const runId = '8eb3e4f8-904b-4222-87a5-c6bd4c24a650';
const workspace = { ...recordedWorkspace, subscriptionId: '00000000-0000-0000-0000-000000000000' };
const trackingPath = `/mlflow/v2.0/subscriptions/${workspace.subscriptionId}/resourceGroups/00000/providers/Microsoft.MachineLearningServices/workspaces/00000/api/2.0/mlflow`;

/**
 * The recorded test logged and did not read back; this is MLflow's answer to reading the metric
 * it logged (int64 timestamps and steps as strings, as Azure ML answers them).
 */
const readBack: RecordedEntry = {
  synthetic: 'reading back the metric the recording logged; the recorded test did not read',
  RequestUri: `https://Sanitized.api.azureml.ms${trackingPath}/metrics/get-history?run_id=${runId}&metric_key=MA%3D%3D`,
  RequestMethod: 'GET',
  StatusCode: 200,
  ResponseHeaders: { 'Content-Type': 'application/json; charset=utf-8' },
  ResponseBody: { metrics: [{ key: 'MA==', value: 0.54, timestamp: '1730433610000', step: '0' }] },
};

describe('replay: MLflow metrics as recorded (mlflow-logging-metrics.json)', () => {
  let replay: ReplayServer;
  beforeEach(async () => {
    // Our client keeps the mlflow/v1.0 prefix of the workspace's mlFlowTrackingUri; azure-ai-evaluation,
    // which made the recording, sends mlflow/v2.0. Azure ML serves the same tracking API under both.
    replay = await ReplayServer.start(await loadRecording('mlflow-logging-metrics.json'), [readBack], { samePrefixes: [['/mlflow/v1.0/', '/mlflow/v2.0/']] });
  });
  afterEach(async () => {
    await replay.close();
  });

  it('logs a metric at the workspace\'s tracking URI and reads it back', async () => {
    const client = replayWorkspaceClient(replay, workspace);
    await client.metrics.logMetric(runId, { key: 'MA==', value: 0.54, timestamp: 1730433610000, step: 0 });
    const page = await client.metrics.getMetricHistoryPage(runId, 'MA==');
    assert.deepEqual(page.points.map((p) => [p.value, p.timestamp, p.step]), [[0.54, 1730433610000, 0]]);
    const logged = replay.requestsTo('POST', '/runs/log-metric');
    assert.equal(logged.length, 1);
    assert.deepEqual(logged[0]!.body, { run_id: runId, key: 'MA==', value: 0.54, timestamp: '1730433610000', step: '0' });
    replay.assertAllRecorded();
  });
});
