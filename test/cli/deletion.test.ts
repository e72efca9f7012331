/**
 * `azml delete model|run|workspace`, `azml archive|restore` against the local workspace: each
 * names what goes and what stays, refuses without a terminal unless --yes, and does exactly
 * what it said.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { collectPages } from '../../src/core/pages';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { azmlOnLocal, type CliResult } from '../support/azmlCli';
import { repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

describe('azml delete, archive and restore against the local workspace', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;
  let client: WorkspaceClient;

  const azml = (args: string[]): CliResult => azmlOnLocal(local, args);
  const versions = async (name: string): Promise<string[]> =>
    (await collectPages((t) => client.models.listVersions(name, t ? { continuationToken: t } : {}))).map((v) => v.version).sort();
  const blobExists = async (name: string): Promise<boolean> => {
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    return storage.kind === 'blob' && storage.container.getBlobClient(name).exists();
  };

  before(async () => {
    local = await startLocalWorkspace({ seed: 'demo' });
    client = connectLocalWorkspace(local.connection).workspaceClient;
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    if (storage.kind !== 'blob') throw new Error('blob expected');
    await storage.container.createIfNotExists();
    for (const name of ['models/churn/v1/model.pkl', 'models/churn/v2/model.pkl', 'models/churn/v2/conf.yaml']) {
      await storage.container.getBlockBlobClient(name).upload('x', 1);
    }
    await client.models.createOrUpdate('churn', {});
    await client.models.createOrUpdateVersion('churn', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v1/' });
    await client.models.createOrUpdateVersion('churn', '2', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v2/' });
  });
  after(async () => {
    await local?.dispose();
  });

  it('without a terminal and without --yes, lists the deletion, refuses and deletes nothing', async () => {
    const result = azml(['delete', 'model', '--name', 'churn', '--version', '1']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Delete model churn version 1 from workspace local\?/);
    assert.match(result.stderr, /model churn version 1/);
    assert.match(result.stderr, /add --yes/);
    assert.deepEqual(await versions('churn'), ['1', '2']);
  });

  it('on a terminal, asks: any answer but "yes" deletes nothing, "yes" deletes', async () => {
    await client.models.createOrUpdate('asked', {});
    await client.models.createOrUpdateVersion('asked', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/asked/' });
    // util-linux script(1) gives the program a terminal; what is piped in is typed into it.
    const onTerminal = (answer: string): CliResult => {
      const command = [process.execPath, path.join(repoRoot, 'dist', 'cli.js'), 'delete', 'model', '--name', 'asked', '--version', '1', '--local', '--data', local.dataDir]
        .map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const result = spawnSync('script', ['-qec', command, '/dev/null'], { input: `${answer}\n`, encoding: 'utf8', timeout: 90_000 });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const refused = onTerminal('no');
    assert.match(refused.stdout, /Type yes to delete: /);
    assert.match(refused.stdout, /Nothing was changed\./);
    assert.deepEqual(await versions('asked'), ['1']);
    const accepted = onTerminal('yes');
    assert.equal(accepted.status, 0, accepted.stdout);
    assert.equal(await client.models.get('asked').then(() => 200, (e: { status?: number }) => e.status), 404);
  });

  it('deletes one version with --yes; its files and the other versions stay, as it said', async () => {
    const result = azml(['delete', 'model', '--name', 'churn', '--version', '1', '--yes']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /The files of version 1 stay in storage/);
    assert.match(result.stderr, /The other versions of model churn stay \(2\)/);
    assert.deepEqual(await versions('churn'), ['2']);
    assert.equal(await blobExists('models/churn/v1/model.pkl'), true);
  });

  it('deletes a whole model with --delete-files, listing each file first', async () => {
    const result = azml(['delete', 'model', '--name', 'churn', '--delete-files', '--yes']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /file workspaceblobstore\/models\/churn\/v2\/model\.pkl/);
    assert.match(result.stderr, /file workspaceblobstore\/models\/churn\/v2\/conf\.yaml/);
    assert.equal(await client.models.get('churn').then(() => 200, (e: { status?: number }) => e.status), 404);
    assert.equal(await blobExists('models/churn/v2/model.pkl'), false);
    assert.equal(await blobExists('models/churn/v1/model.pkl'), true, 'files of a version deleted earlier without its files are not touched');
  });

  it('--delete-files keeps files another version or another model uses, even written as another path to them', async () => {
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    if (storage.kind !== 'blob') throw new Error('blob expected');
    for (const name of ['models/shared/model.pkl', 'models/shared/conf.yaml']) await storage.container.getBlockBlobClient(name).upload('x', 1);
    const at = (path: string): { modelUri: string } => ({ modelUri: `azureml://datastores/workspaceblobstore/paths/${path}` });
    await client.models.createOrUpdate('twice', {});
    await client.models.createOrUpdateVersion('twice', '1', at('models/shared/'));
    await client.models.createOrUpdateVersion('twice', '2', at('models/shared'));
    await client.models.createOrUpdate('inside', {});
    await client.models.createOrUpdateVersion('inside', '1', at('models/shared/model.pkl'));

    const one = azml(['delete', 'model', '--name', 'twice', '--version', '1', '--delete-files', '--yes']);
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stderr, /The files of version 1 \(workspaceblobstore\/models\/shared\) stay: model twice version 2 uses them too \(workspaceblobstore\/models\/shared\)\./);
    assert.doesNotMatch(one.stderr, /file workspaceblobstore\/models\/shared\//);
    const whole = azml(['delete', 'model', '--name', 'twice', '--delete-files', '--yes']);
    assert.equal(whole.status, 0, whole.stderr);
    assert.match(whole.stderr, /stay: model inside version 1 uses them too \(workspaceblobstore\/models\/shared\/model\.pkl\)/);
    assert.equal(await client.models.get('twice').then(() => 200, (e: { status?: number }) => e.status), 404);
    assert.equal(await blobExists('models/shared/model.pkl'), true);
    assert.equal(await blobExists('models/shared/conf.yaml'), true, 'the folder holding a file another model uses stays whole');
  });

  it('an archived version counts: deleting the only active one keeps the model, the archived version and the files it uses', async () => {
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    if (storage.kind !== 'blob') throw new Error('blob expected');
    await storage.container.getBlockBlobClient('models/archived/model.pkl').upload('x', 1);
    const modelUri = 'azureml://datastores/workspaceblobstore/paths/models/archived/';
    await client.models.createOrUpdate('archived', {});
    await client.models.createOrUpdateVersion('archived', '1', { modelUri, isArchived: true });
    await client.models.createOrUpdateVersion('archived', '2', { modelUri });

    const result = azml(['delete', 'model', '--name', 'archived', '--version', '2', '--delete-files', '--yes']);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /model archived itself/);
    assert.match(result.stderr, /The other versions of model archived stay \(1\)/);
    assert.match(result.stderr, /stay: model archived version 1 uses them too/);
    const left = await collectPages((t) => client.models.listVersions('archived', { listViewType: 'All', ...(t ? { continuationToken: t } : {}) }));
    assert.deepEqual(left.map((v) => [v.version, v.isArchived]), [['1', true]]);
    assert.equal(await blobExists('models/archived/model.pkl'), true);
  });

  it('archives a run (gone from the active list, kept), restores it, then deletes it; an active run is refused', async () => {
    const jobs = await collectPages((t) => client.jobs.list(t ? { continuationToken: t } : {}));
    const done = jobs.find((j) => j.status === 'Completed')!;
    const running = jobs.find((j) => j.status === 'Running')!;
    const activeNames = async (): Promise<string[]> => (await collectPages((t) => client.jobs.list(t ? { continuationToken: t } : {}))).map((j) => j.name);

    const archived = azml(['archive', done.name]);
    assert.equal(archived.status, 0, archived.stderr);
    assert.ok(!(await activeNames()).includes(done.name));
    assert.equal((await client.jobs.get(done.name)).isArchived, true);
    const restored = azml(['restore', done.name]);
    assert.equal(restored.status, 0, restored.stderr);
    assert.ok((await activeNames()).includes(done.name));

    const refused = azml(['delete', 'run', running.name, '--yes']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, new RegExp(`Run ${running.name} is still Running: cancel it`));
    assert.equal((await client.jobs.get(running.name)).status, 'Running');

    const deleted = azml(['delete', 'run', done.name, '--yes']);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.match(deleted.stderr, /outputs and logs in datastore workspaceartifactstore \(ExperimentRun\/dcid\./);
    assert.equal(await client.jobs.get(done.name).then(() => 200, (e: { status?: number }) => e.status), 404);
  });

  it('deletes the workspace only with --yes when there is no terminal; the local one starts anew, empty', async () => {
    const refused = azml(['delete', 'workspace']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /Delete workspace local\?/);
    assert.match(refused.stderr, /Files in its blob containers and file share stay/);
    assert.ok((await collectPages((t) => client.jobs.list(t ? { continuationToken: t } : {}))).length > 0, 'nothing deleted');

    const running = (await collectPages((t) => client.jobs.list(t ? { continuationToken: t } : {}))).filter((j) => !['Completed', 'Failed', 'Canceled'].includes(j.status));
    for (const job of running) await client.jobs.cancel(job.name);
    for (let i = 0; i < 100 && (await collectPages((t) => client.jobs.list(t ? { continuationToken: t } : {}))).some((j) => j.status === 'CancelRequested'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const deleted = azml(['delete', 'workspace', '--yes']);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.deepEqual(await collectPages((t) => client.jobs.list({ listViewType: 'All', ...(t ? { continuationToken: t } : {}) })), []);
    assert.deepEqual(await collectPages((t) => client.models.list(t ? { continuationToken: t } : {})), []);
  });
});
