import * as assert from 'node:assert/strict';
import { allPages, apiVersion, startHarness, ws, type Harness, type Json } from './harness';

describe('workspace API: demo seed', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ pageSize: 25 });
    await h.api.seedDemo();
  });
  after(() => h.close());

  async function allJobs(): Promise<Json[]> {
    return (await allPages(h, `${ws}/jobs?${apiVersion}&listViewType=All`)).flatMap((p) => p.value);
  }

  it('seeds two experiments, one with 60+ runs in a mix of states', async () => {
    const jobs = await allJobs();
    const fraud = jobs.filter((j) => j.properties.experimentName === 'fraud-detection');
    const images = jobs.filter((j) => j.properties.experimentName === 'image-classification');
    assert.ok(fraud.length >= 60, `${fraud.length} fraud-detection runs`);
    assert.ok(images.length >= 3 && images.length < 10);
    const count = (status: string) => fraud.filter((j) => j.properties.status === status).length;
    assert.ok(count('Completed') > 30);
    assert.ok(count('Failed') >= 3);
    assert.ok(count('Canceled') >= 2);
    assert.equal(count('Running'), 1);
    assert.equal(count('Queued'), 1);
    assert.ok(fraud.every((j) => j.properties.displayName && j.properties.tags.model_family));
    assert.ok(jobs.every((j) => j.properties.properties['azureml.demo'] === 'true'));

    const experiments = await h.call('POST', `/history/v1.0${ws}/experiments:query`, { top: 10 });
    assert.deepEqual(experiments.body.value.map((e: { name: string }) => e.name), ['fraud-detection', 'image-classification']);
  });

  it('gives finished runs start and end times over past weeks, and failed runs an error', async () => {
    const jobs = await allJobs();
    const failed = jobs.find((j) => j.properties.status === 'Failed');
    const details = (await h.call('GET', `/history/v1.0${ws}/runs/${failed.name}/details`)).body;
    assert.ok(details.startTimeUtc && details.endTimeUtc && details.endTimeUtc > details.startTimeUtc);
    assert.ok(details.error.error.message.length > 20);
    const oldest = jobs.map((j) => Date.parse(j.systemData.createdAt)).sort((a, b) => a - b)[0]!;
    assert.ok(Date.now() - oldest > 14 * 24 * 3_600_000, 'runs span more than two weeks');
    const running = jobs.find((j) => j.properties.status === 'Running');
    const runningDetails = (await h.call('GET', `/history/v1.0${ws}/runs/${running.name}/details`)).body;
    assert.ok(runningDetails.startTimeUtc);
    assert.equal(runningDetails.endTimeUtc, null);
  });

  it('seeds three models with several versions of realistic types', async () => {
    const models = (await h.call('GET', `${ws}/models?${apiVersion}`)).body.value;
    assert.deepEqual(models.map((m: { name: string }) => m.name), ['fraud-classifier', 'resnet50-finetuned', 'text-embedder']);
    const fraud = models.find((m: { name: string }) => m.name === 'fraud-classifier');
    assert.equal(fraud.properties.latestVersion, '3');
    assert.equal(fraud.properties.nextVersion, '4');
    const versions = (await h.call('GET', `${ws}/models/fraud-classifier/versions?${apiVersion}`)).body.value;
    assert.equal(versions.length, 3);
    assert.ok(versions.every((v: { properties: { modelType: string; modelUri: string; jobName: string } }) =>
      v.properties.modelType === 'mlflow_model' && v.properties.modelUri.startsWith(`azureml://jobs/${v.properties.jobName}/`)));
    const job = await h.call('GET', `${ws}/jobs/${versions[0].properties.jobName}?${apiVersion}`);
    assert.equal(job.body.properties.status, 'Completed');
    const resnet = (await h.call('GET', `${ws}/models/resnet50-finetuned/versions?${apiVersion}`)).body.value;
    assert.equal(resnet.length, 2);
    assert.equal(resnet[0].properties.modelType, 'custom_model');
    const triton = (await h.call('GET', `${ws}/models/text-embedder/versions/1?${apiVersion}`)).body;
    assert.equal(triton.properties.modelType, 'triton_model');
  });

  it('is idempotent, and the job store keeps demo runs away from a runner', async () => {
    const before = (await allJobs()).length;
    await h.api.seedDemo();
    assert.equal((await allJobs()).length, before);
    assert.equal((await h.call('GET', `${ws}/models/fraud-classifier/versions?${apiVersion}`)).body.value.length, 3);
    assert.deepEqual(h.api.jobs.listJobs({ statuses: ['Queued', 'Running', 'NotStarted'] }), []);
    const demo = h.api.jobs.listJobs({ statuses: ['Running'], includeDemo: true });
    assert.equal(demo.length, 1);
    assert.equal(demo[0]!.isDemo, true);
  });
});
