import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { localCloud } from '../../src/azure/cloud';
import { createFixedTokenCredential } from '../../src/azure/credentials';
import type { LocalWorkspaceConnection } from '../../src/local/discovery';
import { WorkspaceClient } from '../../src/azure/workspaceClient';
import { defaultEnvironmentId } from '../../src/core/jobSpec/curatedEnvironments';
import { defaultScriptCommand, scriptJobDraft } from '../../src/core/jobSpec/scriptJob';
import { RunLogTailer } from '../../src/core/runLogTailer';
import { isTerminalJobStatus } from '../../src/azure/jobs';
import { snapshotTransfer } from '../../src/core/snapshot/snapshotTransfer';
import { submitJob } from '../../src/core/submitJob';
import { describeError } from '../../src/ui/describeError';
import { startFaultyWorkspace, type FaultyWorkspace } from './faultyWorkspace';
import { trackSchedule, verifiedBytes } from './faultTotals';

/** The local workspace's credential, counting the tokens asked of it. */
function countingCredential(token: string): TokenCredential & { calls: number } {
  const inner = createFixedTokenCredential(token);
  const credential = {
    calls: 0,
    getToken: async (...args: Parameters<TokenCredential['getToken']>): Promise<AccessToken | null> => {
      credential.calls++;
      return inner.getToken(...args);
    },
  };
  return credential;
}

function clientFor(connection: LocalWorkspaceConnection, credential: TokenCredential): WorkspaceClient {
  return new WorkspaceClient({
    cloud: localCloud(connection), credential,
    subscriptionId: connection.subscriptionId, resourceGroup: connection.resourceGroup, workspaceName: connection.workspace,
  });
}

describe('runs through a faulty network', function () {
  this.timeout(300_000);
  let w: FaultyWorkspace;
  let faulty: WorkspaceClient;
  let direct: WorkspaceClient;
  let projects: string;

  before(async () => {
    w = await startFaultyWorkspace({ seed: 20, rate: 0.15, kinds: ['drop', 'status500', 'status503', 'throttle429', 'stall', 'expiredToken'] });
    trackSchedule(w.schedule);
    faulty = clientFor(w.connection, createFixedTokenCredential(w.connection.token));
    direct = clientFor(w.direct, createFixedTokenCredential(w.direct.token));
    projects = mkdtempSync(path.join(os.tmpdir(), 'azml-fault-runs-'));
  });
  after(async () => {
    await w?.dispose();
    if (projects) rmSync(projects, { recursive: true, force: true });
  });


  async function jobsOfExperiment(experimentName: string): Promise<string[]> {
    w.schedule.enabled = false;
    try {
      return (await direct.jobs.list({ experimentName, listViewType: 'All' })).items.map((j) => j.name);
    } finally {
      w.schedule.enabled = true;
    }
  }

  function project(name: string, script: string): string {
    const dir = path.join(projects, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'main.py'), script);
    return dir;
  }

  function draftFor(dir: string): ReturnType<typeof scriptJobDraft> {
    return scriptJobDraft(dir, {
      experimentName: path.basename(dir), environmentId: defaultEnvironmentId, command: defaultScriptCommand(path.join(dir, 'main.py'), dir),
    });
  }

  it('each submit creates exactly one job, or says clearly that it created none', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const dir = project(`submit-${i}`, `print("job ${i}")\n`);
      let submitted: string | undefined;
      try {
        submitted = (await submitJob({ client: faulty, draft: draftFor(dir), transfer: snapshotTransfer, nameStem: `submit${i}` })).job.name;
      } catch (error) {
        assert.match((error as Error).message, /not submitted|may or may not/, `submit ${i}: ${(error as Error).message}`);
      }
      assert.deepEqual(await jobsOfExperiment(path.basename(dir)), submitted ? [submitted] : [], `submit ${i}`);
      outcomes.push(submitted ? 'created' : 'none');
    }
    assert.ok(outcomes.includes('created'));
  });

  const jobPut = /^arm PUT \/subscriptions\/[^ ]*\/jobs\//;

  it('a submit whose answers are all lost on the way back still creates exactly one job, and returns it', async () => {
    const dir = project('lost-answers', 'print("once")\n');
    const { job } = await w.schedule.withOptions({ rate: 1, kinds: ['drop'], maxFaultsInARow: 1000, target: jobPut },
      () => submitJob({ client: faulty, draft: draftFor(dir), transfer: snapshotTransfer, nameStem: 'lost' }));
    assert.deepEqual(await jobsOfExperiment('lost-answers'), [job.name]);
  });

  it('a submit the service never receives creates no job and says so', async () => {
    const dir = project('never-received', 'print("never")\n');
    const error = await w.schedule.withOptions({ rate: 1, kinds: ['status503'], maxFaultsInARow: 1000, target: jobPut },
      () => submitJob({ client: faulty, draft: draftFor(dir), transfer: snapshotTransfer, nameStem: 'never' }))
      .then(() => undefined, (e: unknown) => e as Error);
    assert.match(error?.message ?? '', /^The job was not submitted \(.*\); nothing was created\. Submit it again\.$/);
    assert.deepEqual(await jobsOfExperiment('never-received'), []);
  });

  it('a submit refused by the service (an expired token on the job or on its code snapshot) says no job was created', async () => {
    for (const [experiment, target] of [['refused-job', jobPut], ['refused-code', /^arm (GET|PUT|POST) \/subscriptions\/[^ ]*\/codes\//]] as const) {
      const dir = project(experiment, 'print("refused")\n');
      const error = await w.schedule.withOptions({ rate: 1, kinds: ['expiredToken'], maxFaultsInARow: 1000, target },
        () => submitJob({ client: faulty, draft: draftFor(dir), transfer: snapshotTransfer, nameStem: 'refused' }))
        .then(() => undefined, (e: unknown) => e as Error);
      assert.match(error?.message ?? '', /^The job was not submitted, and nothing was created: The access token expiry/, experiment);
      assert.equal((error as { status?: number } | undefined)?.status, 401, 'the status stays, so the message can advise signing in');
      assert.deepEqual(await jobsOfExperiment(experiment), []);
    }
  });

  it('the run tailer neither loses nor repeats a line', async () => {
    const count = 400;
    const dir = project('chatty', [
      'import time',
      `for i in range(${count}):`,
      '    print(f"line {i:04d} " + "x" * (i % 50), flush=True)',
      '    if i % 10 == 0: time.sleep(0.1)',
      'print("last line, no newline", end="")',
    ].join('\n'));
    w.schedule.enabled = false;
    const { job } = await submitJob({ client: direct, draft: draftFor(dir), transfer: snapshotTransfer, nameStem: 'chatty' });
    w.schedule.enabled = true;
    const lines: string[] = [];
    const warnings: string[] = [];
    // A third of the log reads and status polls faulted: answers cut off mid-body, or refused.
    const summary = await w.schedule.withOptions({ rate: 0.35, kinds: ['drop', 'status503', 'stall'], target: /^(blob GET .*\/user_logs\/|arm GET .*\/runs\/)/ }, () => new RunLogTailer({
      runId: job.name, source: faulty.runHistory,
      listener: { onLines: (l) => lines.push(...l), onWarning: (m) => warnings.push(m) },
      schedule: { logMinMs: 50, logMaxMs: 200, detailsMinMs: 100, detailsMaxMs: 500, detailsWhileOutputMs: 200 },
    }).follow());
    assert.equal(summary.status, 'Completed', warnings.join('\n'));
    const expected = [...Array.from({ length: count }, (_, i) => `line ${String(i).padStart(4, '0')} ${'x'.repeat(i % 50)}`), 'last line, no newline'];
    assert.deepEqual(lines, expected);
    verifiedBytes(summary.logBytes);
  });

  it('a finished run\'s log is read to its end even when the reads after the end fail', async () => {
    const dir = project('finished', 'for i in range(50):\n    print(f"row {i}")\n');
    w.schedule.enabled = false;
    const { job } = await submitJob({ client: direct, draft: draftFor(dir), transfer: snapshotTransfer, nameStem: 'finished' });
    while (!isTerminalJobStatus((await direct.jobs.get(job.name)).status)) await sleep(200);
    w.schedule.enabled = true;
    const lines: string[] = [];
    // The run is over before the tail starts: its one read of the whole log fails twice.
    const summary = await w.schedule.withOptions({ rate: 1, kinds: ['drop'], maxFaultsInARow: 2, target: /^blob GET .*\/user_logs\/std_log\.txt\?.* bytes=0-$/ },
      () => new RunLogTailer({
        runId: job.name, source: faulty.runHistory, listener: { onLines: (l) => lines.push(...l) }, schedule: { logMinMs: 50 },
      }).follow());
    assert.equal(summary.status, 'Completed');
    assert.deepEqual(lines, Array.from({ length: 50 }, (_, i) => `row ${i}`));
  });

  it('an expired token is asked for anew once and the call goes on; a refused one asks to connect or sign in again', async () => {
    await w.schedule.withOptions({ rate: 1, kinds: ['expiredToken'], maxFaultsInARow: 1 }, async () => {
      const credential = countingCredential(w.connection.token);
      const expiredBefore = w.schedule.counts.faults.expiredToken;
      const workspace = await clientFor(w.connection, credential).getWorkspace();
      assert.equal(workspace.name, w.connection.workspace);
      assert.equal(w.schedule.counts.faults.expiredToken - expiredBefore, 1, 'the proxy expired the token once');
      assert.equal(credential.calls, 2, 'one token, then one fresh token after the 401');
    });

    w.schedule.enabled = false;
    try {
      const refused = countingCredential('not-the-token');
      const error = await clientFor(w.connection, refused).getWorkspace().then(() => undefined, (e: unknown) => e);
      assert.equal((error as { status?: number }).status, 401);
      assert.equal(refused.calls, 2, 'a refused token is asked for anew only once');
      assert.deepEqual(describeError(error, 'azure').remedy?.title, 'Sign in');
      assert.deepEqual(describeError(error, 'local').remedy?.command, 'azureml.useLocalWorkspace');
    } finally {
      w.schedule.enabled = true;
    }
  });
});
