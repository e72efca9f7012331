import { strict as assert } from 'node:assert';
import { isTerminalJobStatus } from '../../../src/azure/jobs';
import { loadRecording, ReplayServer } from '../../support/replayServer';
import { replayWorkspaceClient } from './replayClient';

const pipeline = '000000000000000000000';
const children = ['1a96702c-b0e9-4ba9-96c7-d5d8edc3f43b', '2a5c35eb-3cf7-4239-bc80-d7808ce368e7'];

describe('replay: a pipeline job and its children (run-history-child-jobs.json)', () => {
  let replay: ReplayServer;
  beforeEach(async () => {
    replay = await ReplayServer.start(await loadRecording('run-history-child-jobs.json'));
  });
  afterEach(async () => {
    await replay.close();
  });

  it('follows the pipeline to Completed, lists its children and reads each from run history', async () => {
    const client = replayWorkspaceClient(replay);
    const statuses: string[] = [];
    let job = await client.jobs.get(pipeline);
    statuses.push(job.status);
    while (!isTerminalJobStatus(job.status) && statuses.length < 3) {
      job = await client.jobs.get(pipeline);
      statuses.push(job.status);
    }
    assert.deepEqual(statuses, ['Running', 'Completed']);
    assert.equal(job.jobType, 'Pipeline');

    const page = await client.runHistory.listChildren(pipeline);
    assert.deepEqual(page.items.map((c) => [c.name, c.displayName, c.status]), [
      [children[0], 'test_386735382117', 'Completed'],
      [children[1], 'test_386735382117_1', 'Completed'],
    ]);
    assert.equal(page.continuationToken, undefined);

    for (const name of children) {
      // ARM answers a child job with id, name, type and systemData only: the rest is run history's.
      const child = await client.jobs.get(name);
      assert.equal(child.name, name);
      assert.equal(child.status, 'Completed');
      assert.equal(child.computeId, 'cpu-cluster');
      assert.ok(child.startTime instanceof Date && child.endTime instanceof Date);
      assert.equal(child.properties['azureml.pipelinerunid'], pipeline);
    }
    replay.assertAllRecorded();
  });
});
