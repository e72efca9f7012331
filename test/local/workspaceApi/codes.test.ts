import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import * as assert from 'node:assert/strict';
import { startAzuriteBlob, type RunningAzurite } from './azurite';
import { apiVersion, armClient, collect, resourceGroup, startHarness, ws, type Harness } from './harness';

const hashA = 'a'.repeat(64);
const codeBody = (codeUri: string, hash = hashA) => ({
  properties: { codeUri, isAnonymous: true, properties: { hash_sha256: hash, hash_version: '202208' } },
});

describe('workspace API: code assets', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ pageSize: 2 });
  });
  afterEach(() => h.close());

  it('creates versions (container implicitly), maintains latestVersion/nextVersion, lists with $orderBy/$top', async () => {
    const v1 = await h.call('PUT', `${ws}/codes/train-src/versions/1?${apiVersion}`, codeBody('http://x/c/src'));
    assert.equal(v1.status, 201);
    assert.equal(v1.body.id, `${ws}/codes/train-src/versions/1`);
    assert.equal(v1.body.type, 'Microsoft.MachineLearningServices/workspaces/codes/versions');
    assert.equal(v1.body.properties.codeUri, 'http://x/c/src');
    await h.call('PUT', `${ws}/codes/train-src/versions/2?${apiVersion}`, codeBody('http://x/c/src2', 'b'.repeat(64)));
    const container = await h.call('GET', `${ws}/codes/train-src?${apiVersion}`);
    assert.equal(container.body.properties.latestVersion, '2');
    assert.equal(container.body.properties.nextVersion, '3');

    const asc = await h.call('GET', `${ws}/codes/train-src/versions?${apiVersion}&$orderBy=createdtime%20asc&$top=1`);
    assert.deepEqual(asc.body.value.map((v: { name: string }) => v.name), ['1']);
    assert.equal(asc.body.nextLink, undefined);

    const missing = await h.call('PUT', `${ws}/codes/train-src/versions/3?${apiVersion}`, { properties: { isAnonymous: true } });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /'properties\.codeUri'/);
    const changed = await h.call('PUT', `${ws}/codes/train-src/versions/1?${apiVersion}`, codeBody('http://x/c/other'));
    assert.equal(changed.status, 409);
    assert.equal((await h.call('PUT', `${ws}/codes/bad name/versions/1?${apiVersion}`, codeBody('u'))).status, 400);
  });

  it('finds a version by content hash regardless of the name in the path', async () => {
    await h.call('PUT', `${ws}/codes/0f6bd6c4-aaaa-4bbb-8ccc-000000000001/versions/1?${apiVersion}`, codeBody('http://x/c/src'));
    await h.call('PUT', `${ws}/codes/other/versions/1?${apiVersion}`, codeBody('http://x/c/o', 'c'.repeat(64)));
    const hit = await h.call('GET', `${ws}/codes/any-new-name/versions?${apiVersion}&hash=${hashA}&hashVersion=202208`);
    assert.equal(hit.status, 200);
    assert.deepEqual(hit.body.value.map((v: { id: string }) => v.id), [`${ws}/codes/0f6bd6c4-aaaa-4bbb-8ccc-000000000001/versions/1`]);
    const wrongVersion = await h.call('GET', `${ws}/codes/any/versions?${apiVersion}&hash=${hashA}&hashVersion=201901`);
    assert.deepEqual(wrongVersion.body.value, []);
  });

  it('startPendingUpload answers a container-scoped SAS with read/add/create/write/list for a day', async () => {
    const created: string[] = [];
    h.api.onWorkspaceStorageNeeded((targets) => {
      created.push(...targets.blobContainers);
    });
    const reply = await h.call('POST', `${ws}/codes/snap/versions/1/startPendingUpload?${apiVersion}`, { pendingUploadType: 'TemporaryBlobReference' });
    assert.equal(reply.status, 200);
    const ref = reply.body.blobReferenceForConsumption;
    assert.equal(reply.body.pendingUploadType, 'TemporaryBlobReference');
    assert.ok(reply.body.pendingUploadId);
    assert.match(ref.blobUri, /^http:\/\/127\.0\.0\.1:9\/devstoreaccount1\/code-[0-9a-f-]{36}$/);
    assert.deepEqual(created, [ref.blobUri.split('/').pop()], 'the container exists before the answer');
    const again = await h.call('POST', `${ws}/codes/snap/versions/1/startPendingUpload?${apiVersion}`, {});
    assert.notEqual(again.body.blobReferenceForConsumption.blobUri, ref.blobUri, 'each upload gets its own container');
    assert.match(ref.storageAccountArmId, /\/providers\/Microsoft\.Storage\/storageAccounts\/devstoreaccount1$/);
    assert.equal(ref.credential.credentialType, 'SAS');
    const sas = new URL(ref.credential.sasUri);
    assert.equal(`${sas.origin}${sas.pathname}`, ref.blobUri);
    assert.equal(sas.searchParams.get('sr'), 'c');
    assert.equal([...(sas.searchParams.get('sp') ?? '')].sort().join(''), 'aclrw');
    assert.ok(sas.searchParams.get('sig'));
    const hours = (Date.parse(sas.searchParams.get('se')!) - Date.now()) / 3_600_000;
    assert.ok(hours > 23 && hours <= 24, `expiry in ${hours} h`);
  });

  it('code containers: list (paged), get, PUT, DELETE (deletes versions too); SDK reads versions', async () => {
    for (const name of ['c1', 'c2', 'c3']) await h.call('PUT', `${ws}/codes/${name}/versions/1?${apiVersion}`, codeBody(`http://x/${name}`, name.repeat(32)));
    const page1 = await h.call('GET', `${ws}/codes?${apiVersion}`);
    assert.equal(page1.body.value.length, 2);
    assert.ok(page1.body.nextLink);
    const put = await h.call('PUT', `${ws}/codes/c1?${apiVersion}`, { properties: { description: 'training code', latestVersion: '99' } });
    assert.equal(put.status, 200);
    assert.equal(put.body.properties.description, 'training code');
    assert.equal(put.body.properties.latestVersion, '1', 'latestVersion is read-only');

    const sdkVersions = await collect(armClient(h.base).codeVersions.list(resourceGroup, 'local', 'c2'));
    assert.deepEqual(sdkVersions.map((v) => v.properties.codeUri), ['http://x/c2']);

    assert.equal((await h.call('DELETE', `${ws}/codes/c1?${apiVersion}`)).status, 200);
    assert.equal((await h.call('GET', `${ws}/codes/c1/versions/1?${apiVersion}`)).status, 404);
  });
});

describe('workspace API: SAS URLs against Azurite', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let h: Harness;
  before(async () => {
    azurite = await startAzuriteBlob();
    h = await startHarness({ storage: azurite });
    const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
    const createContainers = async (containers: string[]): Promise<void> => {
      for (const container of containers) await new ContainerClient(`${azurite.blobEndpoint}/${container}`, credential).createIfNotExists();
    };
    await createContainers(h.api.storageTargets().blobContainers);
    // As the service does: containers for code uploads are made when startPendingUpload hands them out.
    h.api.onWorkspaceStorageNeeded((targets) => createContainers(targets.blobContainers));
  });
  after(async () => {
    await h?.close();
    await azurite?.stop();
  });

  it('a code snapshot uploads with the startPendingUpload SAS and registers with its codeUri', async () => {
    const reply = await h.call('POST', `${ws}/codes/snap/versions/1/startPendingUpload?${apiVersion}`, { pendingUploadType: 'TemporaryBlobReference' });
    const ref = reply.body.blobReferenceForConsumption;
    const container = new ContainerClient(ref.credential.sasUri);
    await container.getBlockBlobClient('src/train.py').upload('print("hi")', 11);
    const names = [];
    for await (const blob of container.listBlobsFlat({ prefix: 'src/' })) names.push(blob.name);
    assert.deepEqual(names, ['src/train.py']);
    const codeUri = new URL('src', `${ref.blobUri}/`).toString();
    assert.equal((await h.call('PUT', `${ws}/codes/snap/versions/1?${apiVersion}`, codeBody(codeUri))).status, 201);
  });

  it('run details list the std log the runner reported, as a read SAS URL that needs no token', async () => {
    const code = await h.call('PUT', `${ws}/codes/app/versions/1?${apiVersion}`, codeBody('http://x/app', 'd'.repeat(64)));
    const job = await h.call('PUT', `${ws}/jobs/log_job_1?${apiVersion}`, {
      properties: { jobType: 'Command', command: 'python app.py', environmentId: 'azureml:AzureML-sklearn-1.0@latest', codeId: code.body.id },
    });
    assert.equal(job.status, 201);
    const view = h.api.jobs.getJob('log_job_1')!;
    const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
    const artifacts = new ContainerClient(`${azurite.blobEndpoint}/${view.artifacts.container}`, credential);
    await artifacts.getBlockBlobClient(view.artifacts.stdLogBlob).upload('line 1\nline 2\n', 14);

    let details = await h.call('GET', `/history/v1.0${ws}/runs/log_job_1/details`);
    assert.deepEqual(details.body.logFiles, {}, 'nothing listed before the runner says the file exists');
    await h.api.jobs.updateJobStatus('log_job_1', 'Running', { logFiles: ['user_logs/std_log.txt'] });
    details = await h.call('GET', `/history/v1.0${ws}/runs/log_job_1/details`);
    const url = details.body.logFiles['user_logs/std_log.txt'];
    assert.ok(url.startsWith(`${azurite.blobEndpoint}/azureml/ExperimentRun/dcid.log_job_1/user_logs/std_log.txt?`));
    const log = await fetch(url);
    assert.equal(log.status, 200);
    assert.equal(await log.text(), 'line 1\nline 2\n');
  });
});
