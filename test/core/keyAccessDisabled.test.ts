/**
 * Storage with key access disabled (common in enterprise subscriptions) answers account-key and
 * SAS requests with 403 KeyBasedAuthenticationNotPermitted, even though the workspace hands out
 * keys and SAS tokens. Everything that touches storage must then go as the signed-in identity:
 * against the local workspace started with --no-shared-key, whose storage behaves that way.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatastoreStorage, type DatastoreStorage } from '../../src/azure/datastoreStorage';
import { forgetKeylessTargets } from '../../src/azure/identityFallback';
import { connectLocalWorkspace, type LocalWorkspaceClients } from '../../src/azure/localWorkspace';
import { listFolder } from '../../src/azure/storageListing';
import { commandJobFromYaml } from '../../src/core/jobSpec/commandJobYaml';
import { defaultEnvironmentId } from '../../src/core/jobSpec/curatedEnvironments';
import { defaultScriptCommand, scriptJobDraft } from '../../src/core/jobSpec/scriptJob';
import { RunLogTailer } from '../../src/core/runLogTailer';
import { snapshotTransfer } from '../../src/core/snapshot/snapshotTransfer';
import { jobSpecContextOf, submitJob } from '../../src/core/submitJob';
import { downloadFromDatastore } from '../../src/core/transfer/downloadFolder';
import { uploadToDatastore } from '../../src/core/transfer/uploadFolder';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

describe('storage with key access disabled: the signed-in identity is used instead', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let clients: LocalWorkspaceClients;
  let scratch: string;

  before(async () => {
    local = await startLocalWorkspace({ seed: 'demo', sharedKeyAccess: false });
    clients = connectLocalWorkspace(local.connection);
    scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-keyless-'));
  });
  after(async () => {
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(() => forgetKeylessTargets());

  async function open(name: string, withIdentity = true): Promise<DatastoreStorage> {
    const client = clients.workspaceClient;
    const datastore = await client.datastores.get(name);
    const secrets = await client.datastores.listSecrets(name);
    return openDatastoreStorage({
      cloud: client.cloud, datastore, secrets, ...(withIdentity ? { userCredential: clients.credential } : {}),
    });
  }

  it('refuses the account key itself, as Azure does (the local storage really is key-disabled)', async () => {
    const response = await fetch(`${local.connection.blobEndpoint}?comp=list`, {
      headers: { authorization: 'SharedKey devstoreaccount1:AAAA', 'x-ms-version': '2021-12-02' },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-ms-error-code'), 'KeyBasedAuthenticationNotPermitted');
  });

  for (const [name, kind] of [['workspaceblobstore', 'blob'], ['workspacefilestore', 'file']] as const) {
    it(`browses, uploads a folder to and downloads it from the ${kind} datastore`, async () => {
      const storage = await open(name);
      const root = await listFolder(storage, '');
      assert.ok(root.items.length > 0, 'the seeded datastore lists its folders');

      const folder = path.join(scratch, `${kind}-up`);
      mkdirSync(path.join(folder, 'sub'), { recursive: true });
      writeFileSync(path.join(folder, 'a.txt'), 'alpha\n');
      writeFileSync(path.join(folder, 'sub', 'b.csv'), 'x,y\n1,2\n');
      const up = await uploadToDatastore({ storage, localRoot: folder, targetPath: 'keyless', policy: 'overwrite' });
      assert.equal(up.fatal, undefined);
      assert.deepEqual(up.failed, []);
      assert.equal(up.transferred.files, 2);

      const target = path.join(scratch, `${kind}-down`);
      const down = await downloadFromDatastore({ storage: await open(name), remotePath: 'keyless', localRoot: target, policy: 'overwrite' });
      assert.equal(down.fatal, undefined);
      assert.deepEqual(down.failed, []);
      assert.equal(readFileSync(path.join(target, 'a.txt'), 'utf8'), 'alpha\n');
      assert.equal(readFileSync(path.join(target, 'sub', 'b.csv'), 'utf8'), 'x,y\n1,2\n');
    });
  }

  it('without a signed-in identity, says to sign in instead of showing the refusal', async () => {
    const storage = await open('workspaceblobstore', false);
    await assert.rejects(listFolder(storage, ''), (error: Error) => {
      assert.equal(error.message, 'Storage account "devstoreaccount1" does not allow access with account keys or SAS tokens: '
        + 'sign in, so that your identity is used instead.');
      return true;
    });
  });

  it('submits a run (snapshot uploaded through the refused upload SAS) and reads its log (through the refused log URLs)', async () => {
    const dir = path.join(scratch, 'run');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'hello.py'), 'print("hello from a keyless workspace", flush=True)\n');
    const draft = scriptJobDraft(dir, {
      experimentName: 'keyless', environmentId: defaultEnvironmentId, command: defaultScriptCommand(path.join(dir, 'hello.py'), dir),
    });
    const { job, snapshot } = await submitJob({ client: clients.workspaceClient, draft, transfer: snapshotTransfer, nameStem: 'hello' });
    assert.equal(snapshot?.reused, false);

    const lines: string[] = [];
    const warnings: string[] = [];
    const summary = await new RunLogTailer({
      runId: job.name, source: clients.workspaceClient.runHistory, storageIdentity: clients.workspaceClient.storageIdentity,
      listener: { onLines: (l) => lines.push(...l), onWarning: (w) => warnings.push(w) },
    }).follow();
    assert.equal(summary.status, 'Completed', `run failed: ${summary.failingLines.join('\n')}`);
    assert.ok(lines.includes('hello from a keyless workspace'), `log lines: ${JSON.stringify(lines)}; warnings: ${JSON.stringify(warnings)}`);
    assert.deepEqual(warnings.filter((w) => !w.startsWith('local-workspace:')), []);
  });

  it('runs a job whose input is a datastore file: the local job runner reads it as the workspace identity too', async () => {
    const storage = await open('workspaceblobstore');
    assert.equal(storage.kind, 'blob');
    await storage.container.getBlockBlobClient('keyless-input/greeting.txt').upload('read without keys', 17);
    const dir = path.join(scratch, 'yaml');
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'cat.py'), 'import sys\nprint(open(sys.argv[1]).read(), flush=True)\n');
    const file = path.join(dir, 'job.yml');
    writeFileSync(file, [
      'command: python cat.py ${{inputs.greeting}}',
      'code: src',
      'environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
      'compute: azureml:local',
      'experiment_name: keyless',
      'inputs:',
      '  greeting:',
      '    type: uri_file',
      '    path: azureml://datastores/workspaceblobstore/paths/keyless-input/greeting.txt',
    ].join('\n'));
    const draft = await commandJobFromYaml(readFileSync(file, 'utf8'), file, jobSpecContextOf(clients.workspaceClient));
    const { job } = await submitJob({ client: clients.workspaceClient, draft, transfer: snapshotTransfer, nameStem: 'cat' });
    const lines: string[] = [];
    const summary = await new RunLogTailer({
      runId: job.name, source: clients.workspaceClient.runHistory, storageIdentity: clients.workspaceClient.storageIdentity,
      listener: { onLines: (l) => lines.push(...l) },
    }).follow();
    assert.equal(summary.status, 'Completed', `run failed: ${summary.failingLines.join('\n')}`);
    assert.ok(lines.includes('read without keys'), JSON.stringify(lines));
  });
});
