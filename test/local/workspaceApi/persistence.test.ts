import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allPages, apiVersion, startHarness, ws, type Harness } from './harness';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('workspace API: persistence', () => {
  let stateDir: string;
  let h: Harness;
  beforeEach(async () => {
    stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'workspace-api-state-'));
    h = await startHarness({ stateDir, pageSize: 50 });
  });
  afterEach(async () => {
    await h.close();
    await fs.rm(stateDir, { recursive: true, force: true });
  });

  it('a restart loses nothing and neither re-creates nor duplicates built-ins', async () => {
    const before = (await h.call('GET', `${ws}?${apiVersion}`)).body.properties.workspaceId;
    await h.call('PUT', `${ws}/datastores/kept?${apiVersion}`, {
      properties: { datastoreType: 'AzureBlob', accountName: 'a', containerName: 'c', credentials: { credentialsType: 'Sas', secrets: { sasToken: 'sv=x&sig=y' } } },
    });
    assert.equal((await h.call('DELETE', `${ws}/datastores/workspacefilestore?${apiVersion}`)).status, 200);
    await h.call('PUT', `${ws}/jobs/kept_job?${apiVersion}`, { properties: { jobType: 'Command', command: 'true', environmentId: 'e', tags: { a: 'b' } } });
    await h.api.jobs.updateJobStatus('kept_job', 'Running', { logFiles: ['user_logs/std_log.txt'] });
    await h.call('PUT', `${ws}/models/kept-model/versions/1?${apiVersion}`, { properties: { modelUri: 'azureml://datastores/workspaceblobstore/paths/m/' } });
    await h.call('PUT', `${ws}/codes/kept-code/versions/1?${apiVersion}`, { properties: { codeUri: 'http://x/y', properties: { hash_sha256: 'ab'.repeat(32), hash_version: '202208' } } });
    await h.call('PUT', `/subscriptions/${ws.split('/')[2]}/resourceGroups/local-rg/providers/Microsoft.MachineLearningServices/workspaces/second?${apiVersion}`, { properties: {} });

    await h.restart();

    assert.equal((await h.call('GET', `${ws}?${apiVersion}`)).body.properties.workspaceId, before);
    const datastores = (await allPages(h, `${ws}/datastores?${apiVersion}`)).flatMap((p) => p.value.map((d) => d.name)).sort();
    assert.deepEqual(datastores, ['kept', 'workspaceartifactstore', 'workspaceblobstore']);
    assert.deepEqual((await h.call('POST', `${ws}/datastores/kept/listSecrets?${apiVersion}`)).body, { secretsType: 'Sas', sasToken: 'sv=x&sig=y' });
    const job = (await h.call('GET', `${ws}/jobs/kept_job?${apiVersion}`)).body;
    assert.equal(job.properties.status, 'Running');
    assert.deepEqual(job.properties.tags, { a: 'b' });
    assert.deepEqual(h.api.jobs.getJob('kept_job')!.logFiles, ['user_logs/std_log.txt']);
    assert.ok(h.api.jobs.getJob('kept_job')!.startTimeUtc);
    assert.equal((await h.call('GET', `${ws}/models/kept-model?${apiVersion}`)).body.properties.nextVersion, '2');
    const byHash = await h.call('GET', `${ws}/codes/x/versions?${apiVersion}&hash=${'ab'.repeat(32)}`);
    assert.equal(byHash.body.value.length, 1);
    const workspaces = await h.call('GET', `${ws.slice(0, ws.lastIndexOf('/'))}?${apiVersion}`);
    assert.deepEqual(workspaces.body.value.map((w: { name: string }) => w.name).sort(), ['local', 'second']);
  });

  it('writes state files atomically (no temp files left) and flushes on close', async () => {
    await h.call('PUT', `${ws}/jobs/flushed?${apiVersion}`, { properties: { jobType: 'Command', command: 'true', environmentId: 'e' } });
    await h.api.close();
    const files = await filesUnder(stateDir);
    assert.ok(files.some((f) => f.endsWith('workspaces.json')));
    const jobsFile = files.find((f) => f.endsWith('jobs.json'))!;
    assert.ok(jobsFile, files.join(', '));
    assert.match(await fs.readFile(jobsFile, 'utf8'), /"flushed"/);
    assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), []);
  });
});
