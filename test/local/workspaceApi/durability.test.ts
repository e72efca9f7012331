import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { JobView } from '../../../src/local/workspaceApi';
import { spyOnSyncs, type SyncSpy } from '../../support/syncSpy';
import { apiVersion, startHarness, ws, type Harness, type Reply } from './harness';

const datastoreBody = {
  properties: { datastoreType: 'AzureBlob', accountName: 'acct', containerName: 'c', credentials: { credentialsType: 'Sas', secrets: { sasToken: 'sv=x&sig=y' } } },
};
const jobBody = { properties: { jobType: 'Command', command: 'true', environmentId: 'e' } };
const modelBody = { properties: { modelType: 'custom_model', modelUri: 'azureml://datastores/workspaceblobstore/paths/m/' } };
const workspacesUrl = ws.slice(0, ws.lastIndexOf('/'));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * Makes one state file unwritable, in a way that stops root too: the file becomes a folder,
 * so the rename onto it fails (EISDIR). Answers a function that puts the file back.
 */
async function breakStateFile(file: string): Promise<() => Promise<void>> {
  const aside = `${file}.aside`;
  await fs.rename(file, aside).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  await fs.mkdir(file);
  return async () => {
    await fs.rm(file, { recursive: true });
    await fs.rename(aside, file).catch(() => undefined);
  };
}

function assertNotSaved(reply: Reply, file: string): void {
  assert.equal(reply.status, 500, reply.text);
  assert.equal(reply.body.error.code, 'StateNotSaved');
  assert.match(reply.body.error.message, /^The local workspace could not save the change, so it was not made: writing .* failed \(EISDIR\)\. Check that its data folder is writable/);
  assert.ok(reply.body.error.message.includes(path.basename(file)), reply.body.error.message);
}

describe('workspace API: a 2xx means the change is on disk; a failed write is a 500 and changes nothing', () => {
  let h: Harness;
  let workspaceDir: string;
  const stateFile = (name: string): string => path.join(workspaceDir, `${name}.json`);

  beforeEach(async () => {
    h = await startHarness();
    const workspaceId = (await h.call('GET', `${ws}?${apiVersion}`)).body.properties.workspaceId;
    workspaceDir = path.join(h.stateDir, 'workspaces', workspaceId);
  });
  afterEach(() => h.close());

  it('answers a PUT only once the change is in its file', async () => {
    assert.equal((await h.call('PUT', `${ws}/datastores/durable?${apiVersion}`, datastoreBody)).status, 201);
    assert.match(await fs.readFile(stateFile('datastores'), 'utf8'), /"durable"/);
    assert.equal((await h.call('PUT', `${ws}/jobs/durable_job?${apiVersion}`, jobBody)).status, 201);
    assert.match(await fs.readFile(stateFile('jobs'), 'utf8'), /"durable_job"/);
    assert.equal((await h.call('POST', `${ws}/jobs/durable_job/cancel?${apiVersion}`)).status, 202);
    assert.match(await fs.readFile(stateFile('jobs'), 'utf8'), /"status": "Cancel(Requested|ed)"/);
  });

  it('datastore PUT and DELETE: 500 with the reason, nothing changed in memory or on disk, no temp file left', async () => {
    assert.equal((await h.call('PUT', `${ws}/datastores/kept?${apiVersion}`, datastoreBody)).status, 201);
    const restore = await breakStateFile(stateFile('datastores'));

    assertNotSaved(await h.call('PUT', `${ws}/datastores/lost?${apiVersion}`, datastoreBody), stateFile('datastores'));
    assert.equal((await h.call('GET', `${ws}/datastores/lost?${apiVersion}`)).status, 404);
    assertNotSaved(await h.call('DELETE', `${ws}/datastores/kept?${apiVersion}`), stateFile('datastores'));
    assert.equal((await h.call('GET', `${ws}/datastores/kept?${apiVersion}`)).status, 200);
    const changed = { properties: { ...datastoreBody.properties, containerName: 'other' } };
    assertNotSaved(await h.call('PUT', `${ws}/datastores/kept?${apiVersion}`, changed), stateFile('datastores'));
    assert.equal((await h.call('GET', `${ws}/datastores/kept?${apiVersion}`)).body.properties.containerName, 'c');
    assert.deepEqual((await filesUnder(h.stateDir)).filter((f) => f.endsWith('.tmp')), []);

    await restore();
    await h.restart();
    const names = (await h.call('GET', `${ws}/datastores?${apiVersion}`)).body.value.map((d: { name: string }) => d.name);
    assert.ok(names.includes('kept') && !names.includes('lost'), names.join(', '));
    assert.equal((await h.call('PUT', `${ws}/datastores/lost?${apiVersion}`, datastoreBody)).status, 201, 'saving works again once the folder is writable');
  });

  it('model version PUT (two files): 500, neither the model nor its version exists', async () => {
    const restore = await breakStateFile(stateFile('modelContainers'));
    const reply = await h.call('PUT', `${ws}/models/m1/versions/1?${apiVersion}`, modelBody);
    assertNotSaved(reply, stateFile('modelContainers'));
    assert.equal((await h.call('GET', `${ws}/models/m1?${apiVersion}`)).status, 404);
    assert.equal((await h.call('GET', `${ws}/models/m1/versions/1?${apiVersion}`)).status, 404);
    await restore();
    assert.equal((await h.call('PUT', `${ws}/models/m1/versions/1?${apiVersion}`, modelBody)).status, 201);
  });

  it('model version PUT whose second file fails: the first file gets its old content back', async () => {
    assert.equal((await h.call('PUT', `${ws}/models/m2/versions/1?${apiVersion}`, modelBody)).status, 201);
    const containersBefore = await fs.readFile(stateFile('modelContainers'), 'utf8');
    const restore = await breakStateFile(stateFile('modelVersions'));
    assertNotSaved(await h.call('PUT', `${ws}/models/m3/versions/1?${apiVersion}`, modelBody), stateFile('modelVersions'));
    assert.equal(await fs.readFile(stateFile('modelContainers'), 'utf8'), containersBefore);
    assert.equal((await h.call('GET', `${ws}/models/m3?${apiVersion}`)).status, 404);
    await restore();
    await h.restart();
    assert.equal((await h.call('GET', `${ws}/models/m3?${apiVersion}`)).status, 404);
    assert.equal((await h.call('GET', `${ws}/models/m2/versions/1?${apiVersion}`)).status, 200);
  });

  it('job submit: 500, no job, and the runner is never told of it', async () => {
    const created: JobView[] = [];
    h.api.jobs.onJobCreated((job) => created.push(job));
    const restore = await breakStateFile(stateFile('jobs'));
    assertNotSaved(await h.call('PUT', `${ws}/jobs/lost_job?${apiVersion}`, jobBody), stateFile('jobs'));
    assert.equal((await h.call('GET', `${ws}/jobs/lost_job?${apiVersion}`)).status, 404);
    assert.equal(h.api.jobs.getJob('lost_job'), undefined);
    assert.deepEqual(created, []);
    await restore();
  });

  it('job cancel and the runner\'s status changes: refused when not saved, the status stays', async () => {
    assert.equal((await h.call('PUT', `${ws}/jobs/running_job?${apiVersion}`, jobBody)).status, 201);
    await h.api.jobs.updateJobStatus('running_job', 'Running');
    const restore = await breakStateFile(stateFile('jobs'));

    assertNotSaved(await h.call('POST', `${ws}/jobs/running_job/cancel?${apiVersion}`), stateFile('jobs'));
    assert.equal((await h.call('GET', `${ws}/jobs/running_job?${apiVersion}`)).body.properties.status, 'Running');
    await assert.rejects(h.api.jobs.updateJobStatus('running_job', 'Completed'), /could not save the change.*EISDIR/);
    const job = h.api.jobs.getJob('running_job')!;
    assert.equal(job.status, 'Running');
    assert.equal(job.endTimeUtc, undefined);
    assert.equal((await h.call('DELETE', `${ws}/jobs/running_job?${apiVersion}`)).status, 409, 'still active, so not deletable');

    await restore();
    await h.api.jobs.updateJobStatus('running_job', 'Completed');
    assert.match(await fs.readFile(stateFile('jobs'), 'utf8'), /"status": "Completed"/);
  });

  it('workspace create and delete: 500, the workspace list is as before', async () => {
    assert.equal((await h.call('PUT', `${workspacesUrl}/second?${apiVersion}`, { properties: {} })).status, 201);
    const restore = await breakStateFile(path.join(h.stateDir, 'workspaces.json'));

    assertNotSaved(await h.call('PUT', `${workspacesUrl}/third?${apiVersion}`, { properties: {} }), 'workspaces.json');
    assert.equal((await h.call('GET', `${workspacesUrl}/third?${apiVersion}`)).status, 404);
    assertNotSaved(await h.call('DELETE', `${workspacesUrl}/second?${apiVersion}`), 'workspaces.json');
    assert.equal((await h.call('GET', `${workspacesUrl}/second?${apiVersion}`)).status, 200);
    assert.equal((await h.call('GET', `${workspacesUrl}/second/datastores?${apiVersion}`)).status, 200, 'its data is still there');

    await restore();
    await h.restart();
    const names = (await h.call('GET', `${workspacesUrl}?${apiVersion}`)).body.value.map((w: { name: string }) => w.name).sort();
    assert.deepEqual(names, ['local', 'second']);
  });
});

describe('workspace API: a new folder is synced in its parent before the answer', () => {
  let h: Harness;
  let spy: SyncSpy;

  beforeEach(async () => {
    h = await startHarness();
    spy = await spyOnSyncs();
  });
  afterEach(async () => {
    spy.restore();
    await h.close();
  });

  /** Asserts that `folder`'s parent was synced after the last mkdir that could have made `folder`. */
  function assertNameSynced(folder: string): void {
    let lastMkdir = -1;
    spy.events.forEach(([kind, dir], index) => {
      if (kind === 'mkdir' && (dir === folder || dir.startsWith(folder + path.sep))) lastMkdir = index;
    });
    assert.ok(lastMkdir >= 0, `${folder} was made during the request: ${JSON.stringify(spy.events)}`);
    const parentSynced = spy.events.slice(lastMkdir + 1).some(([kind, file]) => kind === 'sync' && file === path.dirname(folder));
    assert.ok(parentSynced, `${path.dirname(folder)} was synced after ${folder} was made: ${JSON.stringify(spy.events)}`);
  }

  it('workspace create: its new data folder (store files)', async () => {
    const created = await h.call('PUT', `${workspacesUrl}/synced?${apiVersion}`, { properties: {} });
    assert.equal(created.status, 201, created.text);
    assertNameSynced(path.join(h.stateDir, 'workspaces', created.body.properties.workspaceId));
  });

  it("a run's first MLflow metric: the workspace's new mlflow folder", async () => {
    assert.equal((await h.call('PUT', `${ws}/jobs/synced_run?${apiVersion}`, jobBody)).status, 201);
    const workspaceId = (await h.call('GET', `${ws}?${apiVersion}`)).body.properties.workspaceId;
    spy.events.length = 0;
    const mlflow = `/mlflow/v1.0${ws}/api/2.0/mlflow`;
    const logged = await h.call('POST', `${mlflow}/runs/log-metric`, { run_id: 'synced_run', key: 'acc', value: 0.5, timestamp: 1, step: 0 });
    assert.equal(logged.status, 200, logged.text);
    assertNameSynced(path.join(h.stateDir, 'workspaces', workspaceId, 'mlflow'));
  });
});
