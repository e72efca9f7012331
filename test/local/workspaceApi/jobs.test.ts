import * as assert from 'node:assert/strict';
import type { JobView } from '../../../src/local/workspaceApi';
import { allPages, apiVersion, armClient, collect, resourceGroup, startHarness, waitFor, ws, type Harness } from './harness';

const commandJob = (extra: Record<string, unknown> = {}) => ({
  properties: {
    jobType: 'Command',
    command: 'python train.py --lr ${{inputs.lr}} --out ${{outputs.model}}',
    environmentId: 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest',
    inputs: { lr: { jobInputType: 'literal', value: '0.01' } },
    outputs: { model: { jobOutputType: 'uri_folder', mode: 'ReadWriteMount' } },
    tags: { stage: 'dev' },
    properties: { origin: 'test' },
    ...extra,
  },
});

describe('workspace API: jobs', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ pageSize: 2 });
  });
  afterEach(() => h.close());

  it('creates a Command job: 201, NotStarted, defaults filled, JobStore told', async () => {
    const created: JobView[] = [];
    h.api.jobs.onJobCreated((job) => created.push(job));
    const reply = await h.call('PUT', `${ws}/jobs/job_1?${apiVersion}`, commandJob({ displayName: 'first try' }));
    assert.equal(reply.status, 201);
    const p = reply.body.properties;
    assert.equal(reply.body.id, `${ws}/jobs/job_1`);
    assert.equal(reply.body.type, 'Microsoft.MachineLearningServices/workspaces/jobs');
    assert.equal(p.status, 'NotStarted');
    assert.equal(p.experimentName, 'Default');
    assert.equal(p.computeId, `${ws}/computes/local`);
    assert.equal(p.outputs.model.uri, 'azureml://datastores/workspaceblobstore/paths/azureml/job_1/model/');
    assert.equal(p.isArchived, false);
    assert.equal(p.services.Tracking.jobServiceType, 'Tracking');
    assert.equal(p.services.Studio, undefined, 'no studio locally');
    await waitFor(() => created.length === 1);
    assert.equal(created[0]!.name, 'job_1');
    assert.equal(created[0]!.artifacts.stdLogBlob, 'ExperimentRun/dcid.job_1/user_logs/std_log.txt');
    assert.equal(created[0]!.isDemo, false);
  });

  it('rejects invalid jobs with 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ properties: { command: 'x', environmentId: 'e' } }, 'properties.jobType'],
      [{ properties: { jobType: 'Command', environmentId: 'e' } }, 'properties.command'],
      [{ properties: { jobType: 'Command', command: 'x' } }, 'properties.environmentId'],
      [{ properties: { jobType: 'Pipeline', command: 'x', environmentId: 'e' } }, 'properties.jobType'],
      [commandJob({ inputs: { lr: { value: '1' } } }), 'properties.inputs.lr.jobInputType'],
      [commandJob({ inputs: { lr: { jobInputType: 'uri_folder' } } }), 'properties.inputs.lr.uri'],
      [commandJob({ inputs: {} }), 'properties.command'],
      [commandJob({ computeId: 'cpu-cluster' }), 'properties.computeId'],
      [commandJob({ codeId: `${ws}/codes/nope/versions/1` }), 'properties.codeId'],
      [commandJob({ limits: { jobLimitsType: 'Command', timeout: 'one hour' } }), 'properties.limits.timeout'],
      [commandJob({ tags: { n: 1 } }), 'properties.tags.n'],
    ];
    for (const [body, field] of cases) {
      const reply = await h.call('PUT', `${ws}/jobs/bad_job?${apiVersion}`, body);
      assert.equal(reply.status, 400, `${field}: ${reply.text}`);
      assert.equal(reply.body.error.target, field, reply.body.error.message);
      assert.ok(reply.body.error.message.length > 10);
    }
    const badName = await h.call('PUT', `${ws}/jobs/-leading-dash?${apiVersion}`, commandJob());
    assert.equal(badName.status, 400);
    assert.match(badName.body.error.message, /Invalid job name/);
  });

  it('accepts codeId and computeId of this workspace', async () => {
    const code = await h.call('PUT', `${ws}/codes/src/versions/3?${apiVersion}`, { properties: { codeUri: 'http://x/c/src' } });
    const reply = await h.call('PUT', `${ws}/jobs/with_code?${apiVersion}`, commandJob({ codeId: `azureml:${code.body.id}`, computeId: 'local' }));
    assert.equal(reply.status, 201, reply.text);
    assert.equal(reply.body.properties.codeId, `${ws}/codes/src/versions/3`);
    assert.equal(h.api.jobs.getJob('with_code')!.codeId, `${ws}/codes/src/versions/3`);
    assert.equal(h.api.jobs.getJob('with_code')!.codeUri, 'http://x/c/src');
  });

  it('updates: tags and description change, properties may be added but not changed, the command may not', async () => {
    await h.call('PUT', `${ws}/jobs/job_u?${apiVersion}`, commandJob());
    const got = (await h.call('GET', `${ws}/jobs/job_u?${apiVersion}`)).body;
    got.properties.tags = { stage: 'prod' };
    got.properties.description = 'promoted';
    got.properties.properties = { ...got.properties.properties, reviewed: 'yes' };
    const updated = await h.call('PUT', `${ws}/jobs/job_u?${apiVersion}`, { properties: got.properties });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(updated.body.properties.tags, { stage: 'prod' });
    assert.deepEqual(updated.body.properties.properties, { origin: 'test', reviewed: 'yes' });

    const changedKey = await h.call('PUT', `${ws}/jobs/job_u?${apiVersion}`, commandJob({ properties: { origin: 'other' } }));
    assert.equal(changedKey.status, 400);
    assert.equal(changedKey.body.error.target, 'properties.properties.origin');
    const changedCommand = await h.call('PUT', `${ws}/jobs/job_u?${apiVersion}`, commandJob({ command: 'python other.py' }));
    assert.equal(changedCommand.status, 400);
    assert.equal(changedCommand.body.error.target, 'properties.command');
  });

  it('lists newest first, paged, with listViewType, jobType and tag filters', async () => {
    for (const name of ['j1', 'j2', 'j3', 'j4']) {
      await h.call('PUT', `${ws}/jobs/${name}?${apiVersion}`, commandJob({ tags: name === 'j2' ? { special: 'yes' } : {} }));
      await new Promise((r) => setTimeout(r, 5));
    }
    const archived = (await h.call('GET', `${ws}/jobs/j1?${apiVersion}`)).body;
    await h.call('PUT', `${ws}/jobs/j1?${apiVersion}`, { properties: { ...archived.properties, isArchived: true } });

    const active = (await allPages(h, `${ws}/jobs?${apiVersion}`)).flatMap((p) => p.value.map((j) => j.name));
    assert.deepEqual(active, ['j4', 'j3', 'j2']);
    const all = (await allPages(h, `${ws}/jobs?${apiVersion}&listViewType=All`)).flatMap((p) => p.value.map((j) => j.name));
    assert.deepEqual(all, ['j4', 'j3', 'j2', 'j1']);
    const onlyArchived = await h.call('GET', `${ws}/jobs?${apiVersion}&listViewType=ArchivedOnly`);
    assert.deepEqual(onlyArchived.body.value.map((j: { name: string }) => j.name), ['j1']);
    const tagged = await h.call('GET', `${ws}/jobs?${apiVersion}&tag=special`);
    assert.deepEqual(tagged.body.value.map((j: { name: string }) => j.name), ['j2']);
    const sweeps = await h.call('GET', `${ws}/jobs?${apiVersion}&jobType=Sweep`);
    assert.deepEqual(sweeps.body.value, []);
  });

  it('cancels an active job: 202 + Location, CancelRequested, then Canceled; a finished job cannot be canceled', async () => {
    await h.call('PUT', `${ws}/jobs/to_cancel?${apiVersion}`, commandJob());
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const asked: string[] = [];
    h.api.jobs.onCancelRequested(async (job) => {
      asked.push(job.name);
      await released;
    });
    const cancel = await h.call('POST', `${ws}/jobs/to_cancel/cancel?${apiVersion}`);
    assert.equal(cancel.status, 202);
    const location = cancel.headers.get('location')!;
    assert.ok(location.startsWith(h.base));
    assert.equal((await h.call('GET', `${ws}/jobs/to_cancel?${apiVersion}`)).body.properties.status, 'CancelRequested');
    assert.equal((await h.call('GET', location.slice(h.base.length))).status, 202);
    await waitFor(() => asked.length === 1);
    release();
    await waitFor(async () => (await h.call('GET', `${ws}/jobs/to_cancel?${apiVersion}`)).body.properties.status === 'Canceled');
    assert.equal((await h.call('GET', location.slice(h.base.length))).status, 200);
    assert.ok(h.api.jobs.getJob('to_cancel')!.endTimeUtc);

    const again = await h.call('POST', `${ws}/jobs/to_cancel/cancel?${apiVersion}`);
    assert.equal(again.status, 400);
    assert.match(again.body.error.message, /already finished \(Canceled\)/);
    assert.equal((await h.call('POST', `${ws}/jobs/missing/cancel?${apiVersion}`)).status, 404);
  });

  it('deletes finished jobs only', async () => {
    await h.call('PUT', `${ws}/jobs/del_me?${apiVersion}`, commandJob());
    const active = await h.call('DELETE', `${ws}/jobs/del_me?${apiVersion}`);
    assert.equal(active.status, 409);
    await h.api.jobs.updateJobStatus('del_me', 'Failed', { error: { code: 'UserError', message: 'boom' } });
    assert.equal((await h.call('DELETE', `${ws}/jobs/del_me?${apiVersion}`)).status, 200);
    assert.equal((await h.call('GET', `${ws}/jobs/del_me?${apiVersion}`)).status, 404);
  });

  it('the job store drives status and run-history timestamps; terminal statuses stick', async () => {
    await h.call('PUT', `${ws}/jobs/run_1?${apiVersion}`, commandJob({ experimentName: 'exp-a', displayName: 'Run one' }));
    const changes: string[] = [];
    h.api.jobs.onJobChanged((job) => changes.push(job.status));
    await h.api.jobs.updateJobStatus('run_1', 'Queued');
    let details = (await h.call('GET', `/history/v1.0${ws}/runs/run_1/details`)).body;
    assert.equal(details.status, 'Queued');
    assert.equal(details.startTimeUtc, null);
    const running = await h.api.jobs.updateJobStatus('run_1', 'Running');
    assert.ok(running.startTimeUtc);
    await h.api.jobs.updateJobStatus('run_1', 'Failed', { error: { code: 'UserError', message: 'exit code 2' } });
    details = (await h.call('GET', `/history/v1.0${ws}/runs/run_1/details`)).body;
    assert.equal(details.runId, 'run_1');
    assert.match(details.runUuid, /^[0-9a-f-]{36}$/);
    assert.equal(details.target, 'local');
    assert.equal(details.status, 'Failed');
    assert.equal(details.startTimeUtc, running.startTimeUtc);
    assert.ok(details.endTimeUtc >= details.startTimeUtc);
    assert.deepEqual(details.error.error.code, 'UserError');
    assert.equal(details.error.error.message, 'exit code 2');
    assert.deepEqual(changes, ['Queued', 'Running', 'Failed']);
    await assert.rejects(h.api.jobs.updateJobStatus('run_1', 'Running'), /already Failed/);
    assert.equal((await h.call('GET', `${ws}/jobs/run_1?${apiVersion}`)).body.properties.status, 'Failed');
    assert.equal((await h.call('GET', `/history/v1.0${ws}/runs/nope/details`)).status, 404);
  });

  it('derives experiments from jobs: experiments:query pages with top/continuationToken, GET by name', async () => {
    for (const [name, exp] of [['e1', 'alpha'], ['e2', 'beta'], ['e3', 'gamma'], ['e4', 'alpha']]) {
      await h.call('PUT', `${ws}/jobs/${name}?${apiVersion}`, commandJob({ experimentName: exp }));
    }
    const first = await h.call('POST', `/history/v1.0${ws}/experiments:query?urlSafeExperimentNamesOnly=true`,
      { viewType: 'ActiveOnly', filter: null, continuationToken: null, orderBy: null, top: 2 });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.value.map((e: { name: string }) => e.name), ['alpha', 'beta']);
    assert.ok(first.body.continuationToken);
    const second = await h.call('POST', `/history/v1.0${ws}/experiments:query`, { top: 2, continuationToken: first.body.continuationToken });
    assert.deepEqual(second.body.value.map((e: { name: string }) => e.name), ['gamma']);
    assert.equal(second.body.continuationToken, null);
    const alpha = await h.call('GET', `/history/v1.0${ws}/experiments/alpha`);
    assert.equal(alpha.body.experimentId, first.body.value[0].experimentId);
    assert.ok(alpha.body.createdUtc);
    assert.equal((await h.call('GET', `/history/v1.0${ws}/experiments/zeta`)).status, 404);
  });

  it('works with the real AzureMachineLearningWorkspaces client: createOrUpdate, get, list, cancel', async () => {
    const client = armClient(h.base);
    const created = await client.jobs.createOrUpdate(resourceGroup, 'local', 'sdk_job', {
      properties: {
        jobType: 'Command', command: 'echo ${{inputs.greeting}}', environmentId: 'azureml:AzureML-minimal@latest',
        experimentName: 'sdk-exp', displayName: 'from the SDK',
        inputs: { greeting: { jobInputType: 'literal', value: 'hello' } as never },
      },
    });
    assert.equal(created.name, 'sdk_job');
    assert.equal(created.properties.status, 'NotStarted');
    const got = await client.jobs.get(resourceGroup, 'local', 'sdk_job');
    assert.equal(got.properties.experimentName, 'sdk-exp');
    assert.equal((got.properties as { command?: string }).command, 'echo ${{inputs.greeting}}');
    await client.jobs.createOrUpdate(resourceGroup, 'local', 'sdk_job_2', { properties: { jobType: 'Command', command: 'true', environmentId: 'e' } as never });
    await client.jobs.createOrUpdate(resourceGroup, 'local', 'sdk_job_3', { properties: { jobType: 'Command', command: 'true', environmentId: 'e' } as never });
    const listed = await collect(client.jobs.list(resourceGroup, 'local'));
    assert.deepEqual(listed.map((j) => j.name).sort(), ['sdk_job', 'sdk_job_2', 'sdk_job_3']);
    await client.jobs.beginCancelAndWait(resourceGroup, 'local', 'sdk_job', { updateIntervalInMs: 50 });
    await waitFor(() => h.api.jobs.getJob('sdk_job')!.status === 'Canceled');
  });
});
