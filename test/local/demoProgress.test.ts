import * as assert from 'node:assert/strict';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { readMetricHistory } from '../../src/azure/metricHistory';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

async function demoRunIn(client: WorkspaceClient, status: string): Promise<string> {
  let token: string | undefined;
  do {
    const page = await client.jobs.list(token ? { continuationToken: token } : {});
    const found = page.items.find((job) => job.status === status);
    if (found) return found.name;
    token = page.continuationToken;
  } while (token);
  throw new Error(`no demo run is ${status}`);
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the demo while the local workspace runs (dist/local.js)', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace | undefined;
  afterEach(async () => {
    await local?.dispose();
    local = undefined;
  });

  it('its Running run logs new metric points and log lines; with --freeze-demo it stays as seeded', async () => {
    local = await startLocalWorkspace({ seed: 'demo', demoProgress: true });
    const client = connectLocalWorkspace(local.connection).workspaceClient;
    const running = await demoRunIn(client, 'Running');
    const seeded = (await readMetricHistory(client.metrics, running, 'val_loss')).length;
    assert.ok(seeded > 0, 'the seed logged the first part of its training');
    await until(async () => (await readMetricHistory(client.metrics, running, 'val_loss')).length > seeded, 'new points', 60_000);
    const details = await client.runHistory.getRunDetails(running);
    assert.ok(details.logFiles['user_logs/std_log.txt'], 'its log is there for Tail Run');
    const response = await fetch(details.logFiles['user_logs/std_log.txt']!);
    const log = await response.text();
    assert.equal(response.status, 200, log);
    assert.match(log, /step\s+\d+\s+loss=\d/, 'the log holds the steps whose points are logged');
    await local.dispose();

    local = await startLocalWorkspace({ seed: 'demo' });
    const frozen = connectLocalWorkspace(local.connection).workspaceClient;
    const stillRunning = await demoRunIn(frozen, 'Running');
    const before = (await readMetricHistory(frozen.metrics, stillRunning, 'loss')).length;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    assert.equal((await readMetricHistory(frozen.metrics, stillRunning, 'loss')).length, before);
  });
});
