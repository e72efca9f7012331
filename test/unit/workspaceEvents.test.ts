import * as assert from 'node:assert/strict';
import { EventParseError, isEventOf, parseWorkspaceEvent } from '../../src/core/events/workspaceEvent';
import { isEventsQueueName } from '../../src/core/events/queueName';
import { parseEventQueueSetting } from '../../src/azure/eventQueue';

const runData = {
  experimentId: '0fa9dfaa-9fba-4e8a-8bb4-ea9c6c5a1e8a',
  experimentName: 'churn',
  runId: 'brave_kiwi_1',
  runType: 'azureml.scriptrun',
  runTags: { owner: 'ana' },
  runProperties: { n: 1 },
  runStatus: 'Failed',
};

const eventGrid = {
  id: 'e1',
  topic: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws',
  subject: 'experiments/0fa9dfaa-9fba-4e8a-8bb4-ea9c6c5a1e8a/runs/brave_kiwi_1',
  eventType: 'Microsoft.MachineLearningServices.RunStatusChanged',
  eventTime: '2026-01-01T10:00:00Z',
  data: runData,
  dataVersion: '2',
  metadataVersion: '1',
};

describe('workspace events from a storage queue message', () => {
  it('reads an Event Grid-schema RunStatusChanged as plain JSON', () => {
    const event = parseWorkspaceEvent(JSON.stringify(eventGrid));
    assert.ok(event.kind === 'run');
    assert.equal(event.type, 'RunStatusChanged');
    assert.equal(event.runId, 'brave_kiwi_1');
    assert.equal(event.runStatus, 'Failed');
    assert.equal(event.time, '2026-01-01T10:00:00Z');
    assert.deepEqual(event.runProperties, { n: '1' });
  });

  it('reads the same event base64-encoded, and as an array of one', () => {
    const base64 = Buffer.from(JSON.stringify(eventGrid)).toString('base64');
    assert.equal((parseWorkspaceEvent(base64) as { runId: string }).runId, 'brave_kiwi_1');
    assert.equal((parseWorkspaceEvent(JSON.stringify([eventGrid])) as { runId: string }).runId, 'brave_kiwi_1');
  });

  it('reads a CloudEvents 1.0 RunCompleted', () => {
    const { runStatus: _status, ...data } = runData;
    const event = parseWorkspaceEvent(JSON.stringify({
      specversion: '1.0', id: 'c1', type: 'Microsoft.MachineLearningServices.RunCompleted', source: eventGrid.topic,
      subject: eventGrid.subject, time: '2026-01-01T10:05:00Z', data,
    }));
    assert.ok(event.kind === 'run');
    assert.deepEqual([event.type, event.id, event.runId, event.runStatus, event.time], ['RunCompleted', 'c1', 'brave_kiwi_1', undefined, '2026-01-01T10:05:00Z']);
  });

  it('knows which workspace raised an event (Event Grid topic, CloudEvents source), ignoring case as Resource Manager does', () => {
    const ws = { subscriptionId: 's', resourceGroup: 'rg', workspaceName: 'ws' };
    const gridEvent = parseWorkspaceEvent(JSON.stringify(eventGrid));
    assert.equal(gridEvent.workspaceId, eventGrid.topic);
    assert.equal(isEventOf(gridEvent, ws), true);
    assert.equal(isEventOf(gridEvent, { subscriptionId: 'S', resourceGroup: 'RG', workspaceName: 'WS' }), true);
    assert.equal(isEventOf(gridEvent, { ...ws, workspaceName: 'ws2' }), false);
    assert.equal(isEventOf(gridEvent, { ...ws, resourceGroup: 'rg2' }), false);
    assert.equal(isEventOf(gridEvent, { ...ws, subscriptionId: 's2' }), false);
    const cloudEvent = parseWorkspaceEvent(JSON.stringify({
      specversion: '1.0', id: 'c2', type: 'Microsoft.MachineLearningServices.RunCompleted', source: eventGrid.topic.replace('/ws', '/other'),
      subject: eventGrid.subject, data: runData,
    }));
    assert.equal(isEventOf(cloudEvent, ws), false);
    // Naming no workspace, or one in a form not known here: acted on, as before.
    const { topic: _topic, ...noTopic } = eventGrid;
    assert.equal(isEventOf(parseWorkspaceEvent(JSON.stringify(noTopic)), ws), true);
    assert.equal(isEventOf(parseWorkspaceEvent(JSON.stringify({ ...eventGrid, topic: 'ws2' })), ws), true);
  });

  it('takes ModelVersion as a string or a number', () => {
    for (const version of ['7', 7]) {
      const event = parseWorkspaceEvent(JSON.stringify({
        ...eventGrid, eventType: 'Microsoft.MachineLearningServices.ModelRegistered', subject: 'models/churn:7',
        data: { ModelName: 'churn', ModelVersion: version, ModelTags: { a: 'b' }, ModelProperties: {} },
      }));
      assert.ok(event.kind === 'model');
      assert.deepEqual([event.modelName, event.modelVersion, event.modelTags], ['churn', '7', { a: 'b' }]);
    }
  });

  it('passes other Azure ML events through as such (ModelDeployed, DatasetDriftDetected)', () => {
    const event = parseWorkspaceEvent(JSON.stringify({ ...eventGrid, eventType: 'Microsoft.MachineLearningServices.DatasetDriftDetected', data: {} }));
    assert.deepEqual([event.kind, event.type], ['other', 'DatasetDriftDetected']);
  });

  it('refuses, with a reason, what is not an Azure ML event', () => {
    const cases: Array<[string, RegExp]> = [
      ['not json at all', /neither JSON nor base64/],
      ['{"id": ', /not valid JSON/],
      [JSON.stringify({ ...eventGrid, eventType: 'Microsoft.Storage.BlobCreated' }), /not an Azure Machine Learning event/],
      [JSON.stringify({ ...eventGrid, data: { ...runData, runId: undefined } }), /"runId"/],
      [JSON.stringify({ ...eventGrid, data: { ...runData, runStatus: undefined } }), /"runStatus"/],
      [JSON.stringify([eventGrid, eventGrid]), /one event/],
    ];
    for (const [text, reason] of cases) assert.throws(() => parseWorkspaceEvent(text), (e: unknown) => e instanceof EventParseError && reason.test(e.message), text);
  });

  it('accepts only queue names whose poison queue is a valid name too', () => {
    for (const name of ['azureml-events', 'abc', 'a'.repeat(56)]) assert.ok(isEventsQueueName(name), name);
    for (const name of ['ab', 'a'.repeat(57), 'Events', '-events', 'events-', 'a--b', 'a_b']) assert.ok(!isEventsQueueName(name), name);
  });

  it('reads azureml.events.queue as <storage account>/<queue>, or says how to write it', () => {
    assert.deepEqual(parseEventQueueSetting(' mystorage/azureml-events '), { accountName: 'mystorage', queueName: 'azureml-events' });
    for (const value of ['azureml-events', 'MyStorage/azureml-events', 'mystorage/Events', 'https://mystorage.queue.core.windows.net/azureml-events']) {
      assert.throws(() => parseEventQueueSetting(value), (e: Error) => e.message.includes(`is "${value}"; it takes <storage account>/<queue>, for example mystorage/azureml-events`), value);
    }
  });
});
