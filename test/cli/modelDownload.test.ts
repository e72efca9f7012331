/**
 * Download Model against the local workspace: a version's files (a folder through the download
 * engine, or a one-file model) land in a local folder with the version's metadata as model.json.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { azmlOnLocal, type CliResult } from '../support/azmlCli';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

describe('azml download-model against the local workspace', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;
  let work: string;

  const azml = (args: string[]): CliResult => azmlOnLocal(local, args);

  before(async () => {
    local = await startLocalWorkspace();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-model-download-'));
    const { workspaceClient: client } = connectLocalWorkspace(local.connection);
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    if (storage.kind !== 'blob') throw new Error('blob expected');
    await storage.container.createIfNotExists();
    for (const [name, text] of [['models/churn/v2/model.pkl', 'pickled'], ['models/churn/v2/conf/params.yaml', 'depth: 3\n'], ['models/churn/other.txt', 'not the model'], ['models/single/weights.bin', 'weights']]) {
      await storage.container.getBlockBlobClient(name!).upload(text!, Buffer.byteLength(text!));
    }
    await client.models.createOrUpdate('churn', { description: 'Churn classifier' });
    await client.models.createOrUpdateVersion('churn', '2', {
      modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v2/', description: 'second', tags: { stage: 'prod' },
    });
    await client.models.createOrUpdate('single', {});
    await client.models.createOrUpdateVersion('single', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/single/weights.bin' });
  });
  after(async () => {
    await local?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('downloads a folder model\'s files and writes model.json beside them; a re-run skips unchanged files', () => {
    const to = path.join(work, 'churn-2');
    const first = azml(['download-model', '--name', 'churn', '--version', '2', '--to', to]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /downloaded: 2 files/);
    assert.deepEqual(readdirSync(to).sort(), ['conf', 'model.json', 'model.pkl']);
    assert.equal(readFileSync(path.join(to, 'conf', 'params.yaml'), 'utf8'), 'depth: 3\n');
    const metadata = JSON.parse(readFileSync(path.join(to, 'model.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(metadata['name'], 'churn');
    assert.equal(metadata['version'], '2');
    assert.equal(metadata['description'], 'second');
    assert.deepEqual(metadata['tags'], { stage: 'prod' });
    assert.equal(metadata['modelUri'], 'azureml://datastores/workspaceblobstore/paths/models/churn/v2/');

    const again = azml(['download-model', '--name', 'churn', '--version', '2', '--to', to, '--json']);
    assert.equal(again.status, 0, again.stderr);
    const result = JSON.parse(again.stdout) as { transferred: { files: number }; skipped: { unchanged: number } };
    assert.deepEqual([result.transferred.files, result.skipped.unchanged], [0, 2]);
  });

  it('downloads a one-file model as that file plus model.json', () => {
    const to = path.join(work, 'single-1');
    const result = azml(['download-model', '--name', 'single', '--version', '1', '--to', to]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(to).sort(), ['model.json', 'weights.bin']);
    assert.equal(readFileSync(path.join(to, 'weights.bin'), 'utf8'), 'weights');
  });

  it('says which version does not exist, and writes nothing', () => {
    const to = path.join(work, 'missing');
    const result = azml(['download-model', '--name', 'churn', '--version', '9', '--to', to]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Model "churn" has no version "9"/);
    assert.throws(() => readdirSync(to));
  });
});
