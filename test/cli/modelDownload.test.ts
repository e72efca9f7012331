/**
 * Download Model against the local workspace: a version's files (a folder through the download
 * engine, or a one-file model) land in a local folder with the version's metadata as model.json.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
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
    for (const [name, text] of [['models/churn/v2/model.pkl', 'pickled'], ['models/churn/v2/conf/params.yaml', 'depth: 3\n'], ['models/churn/other.txt', 'not the model'], ['models/single/weights.bin', 'weights'],
      ['models/churn/v3/model.pkl', 'pickled again'], ['models/churn/v3/conf/params.yaml', 'depth: 5\n'],
      // A one-file model whose versions share the file name; 2 and 3 are the same size, 4 is 2's content again.
      ['models/pick/v2/model.pkl', 'version-2'], ['models/pick/v3/model.pkl', 'version-3'], ['models/pick/v4/model.pkl', 'version-2']]) {
      await storage.container.getBlockBlobClient(name!).upload(text!, Buffer.byteLength(text!));
    }
    await client.models.createOrUpdate('churn', { description: 'Churn classifier' });
    await client.models.createOrUpdateVersion('churn', '2', {
      modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v2/', description: 'second', tags: { stage: 'prod' },
    });
    await client.models.createOrUpdateVersion('churn', '3', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v3/' });
    await client.models.createOrUpdate('single', {});
    await client.models.createOrUpdateVersion('single', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/single/weights.bin' });
    await client.models.createOrUpdate('pick', {});
    for (const v of ['2', '3', '4']) {
      await client.models.createOrUpdateVersion('pick', v, { modelUri: `azureml://datastores/workspaceblobstore/paths/models/pick/v${v}/model.pkl` });
    }
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

  it('folder model, skip: files kept unread leave model.json as it was unless it already names that version', () => {
    const to = path.join(work, 'churn-skip');
    assert.equal(azml(['download-model', '--name', 'churn', '--version', '2', '--to', to]).status, 0);
    const metadataBefore = readFileSync(path.join(to, 'model.json'), 'utf8');

    const other = azml(['download-model', '--name', 'churn', '--version', '3', '--to', to, '--on-exists', 'skip', '--json']);
    assert.equal(other.status, 1, other.stderr);
    const result = JSON.parse(other.stdout) as { skipped: { existing: number }; fatal?: { code: string; message: string } };
    assert.equal(result.skipped.existing, 2);
    assert.equal(result.fatal?.code, 'ModelFileKept');
    assert.match(result.fatal?.message ?? '', /^Kept 2 existing files, which may not be those of model churn version 3, so model\.json was not written\./);
    assert.equal(readFileSync(path.join(to, 'model.pkl'), 'utf8'), 'pickled');
    assert.equal(readFileSync(path.join(to, 'model.json'), 'utf8'), metadataBefore);

    const same = azml(['download-model', '--name', 'churn', '--version', '2', '--to', to, '--on-exists', 'skip']);
    assert.equal(same.status, 0, same.stderr);
  });

  it('downloads a one-file model as that file plus model.json', () => {
    const to = path.join(work, 'single-1');
    const result = azml(['download-model', '--name', 'single', '--version', '1', '--to', to]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(to).sort(), ['model.json', 'weights.bin']);
    assert.equal(readFileSync(path.join(to, 'weights.bin'), 'utf8'), 'weights');
  });

  interface JsonResult {
    transferred: { files: number }; skipped: { existing: number; unchanged: number }; failed: unknown[]; fatal?: { code: string; message: string };
  }
  const pick = (version: string, to: string, ...more: string[]): { status: number | null; stderr: string; result: JsonResult } => {
    const run = azml(['download-model', '--name', 'pick', '--version', version, '--to', to, '--json', ...more]);
    return { status: run.status, stderr: run.stderr, result: JSON.parse(run.stdout) as JsonResult };
  };
  const metadataVersion = (to: string): unknown => (JSON.parse(readFileSync(path.join(to, 'model.json'), 'utf8')) as Record<string, unknown>)['version'];

  it('one-file model, skip-unchanged: a later version into the same folder replaces the changed file and model.json', () => {
    const to = path.join(work, 'pick-2-then-3');
    const first = pick('2', to);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(readFileSync(path.join(to, 'model.pkl'), 'utf8'), 'version-2');
    assert.equal(metadataVersion(to), '2');

    const second = pick('3', to);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual([second.result.transferred.files, second.result.skipped.unchanged, second.result.skipped.existing], [1, 0, 0]);
    assert.equal(readFileSync(path.join(to, 'model.pkl'), 'utf8'), 'version-3');
    assert.equal(metadataVersion(to), '3');
    // Nothing half-written or temporary is left beside it.
    assert.deepEqual(readdirSync(to).sort(), ['model.json', 'model.pkl']);
  });

  it('one-file model, skip-unchanged: the same version again is skipped as unchanged and the file left alone', () => {
    const to = path.join(work, 'pick-2-twice');
    assert.equal(pick('2', to).status, 0);
    const before = statSync(path.join(to, 'model.pkl'));
    const again = pick('2', to);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual([again.result.transferred.files, again.result.skipped.unchanged, again.result.skipped.existing], [0, 1, 0]);
    const after = statSync(path.join(to, 'model.pkl'));
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
    assert.equal(metadataVersion(to), '2');
  });

  it('one-file model, skip: keeps the existing file and does not relabel model.json for a version it is not', () => {
    const to = path.join(work, 'pick-skip');
    assert.equal(pick('2', to).status, 0);
    const metadataBefore = readFileSync(path.join(to, 'model.json'), 'utf8');
    const before = statSync(path.join(to, 'model.pkl'));

    const other = pick('3', to, '--on-exists', 'skip');
    assert.equal(other.status, 1, 'a folder that does not hold the version asked for is not a success');
    assert.deepEqual([other.result.transferred.files, other.result.skipped.existing, other.result.skipped.unchanged], [0, 1, 0]);
    assert.equal(other.result.fatal?.code, 'ModelFileKept');
    assert.match(other.stderr, /Kept the existing model\.pkl, which is not the file of model pick version 3, so model\.json was not written/);
    assert.equal(readFileSync(path.join(to, 'model.pkl'), 'utf8'), 'version-2');
    assert.equal(statSync(path.join(to, 'model.pkl')).mtimeMs, before.mtimeMs);
    assert.equal(readFileSync(path.join(to, 'model.json'), 'utf8'), metadataBefore);

    // A kept file that is the asked version's content (size and MD5) is that version: model.json says so.
    const same = pick('4', to, '--on-exists', 'skip');
    assert.equal(same.status, 0, same.stderr);
    assert.deepEqual([same.result.transferred.files, same.result.skipped.existing], [0, 1]);
    assert.equal(statSync(path.join(to, 'model.pkl')).mtimeMs, before.mtimeMs);
    assert.equal(metadataVersion(to), '4');
  });

  it('one-file model, overwrite: downloads the file again', () => {
    const to = path.join(work, 'pick-overwrite');
    assert.equal(pick('3', to).status, 0);
    const again = pick('3', to, '--on-exists', 'overwrite');
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual([again.result.transferred.files, again.result.skipped.unchanged, again.result.skipped.existing], [1, 0, 0]);
    assert.equal(readFileSync(path.join(to, 'model.pkl'), 'utf8'), 'version-3');
    assert.equal(metadataVersion(to), '3');
  });

  it('folder model with a file whose name is refused here: the rest downloaded, no model.json claiming the version, and exit code 1 saying why', async () => {
    const { workspaceClient: client } = connectLocalWorkspace(local.connection);
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    if (storage.kind !== 'blob') throw new Error('blob expected');
    await storage.container.getBlockBlobClient('models/odd/v1/model.pkl').upload('pickled', 7);
    // Azurite keeps backslashes as "/": the blob is named "models/odd/v1/hostile/../../evil.txt".
    await storage.container.getBlockBlobClient('models/odd/v1/hostile\\..\\..\\evil.txt').upload('evil', 4);
    await client.models.createOrUpdate('odd', {});
    await client.models.createOrUpdateVersion('odd', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/odd/v1/' });

    const to = path.join(work, 'odd-1');
    const result = azml(['download-model', '--name', 'odd', '--version', '1', '--to', to, '--json']);
    assert.equal(result.status, 1, result.stderr);
    const json = JSON.parse(result.stdout) as { transferred: { files: number }; notTransferred: Array<{ path: string }>; fatal?: { code: string; message: string } };
    assert.equal(json.transferred.files, 1);
    assert.deepEqual(json.notTransferred.map((n) => n.path), ['hostile/../../evil.txt']);
    assert.equal(json.fatal?.code, 'ModelFilesRefused');
    assert.equal(json.fatal?.message, '1 file of model odd version 1 was not downloaded (hostile/../../evil.txt: refused: the name contains ".."), so the download is not complete and model.json was not written.');
    assert.deepEqual(readdirSync(to), ['model.pkl']);
    const plain = azml(['download-model', '--name', 'odd', '--version', '1', '--to', to]);
    assert.equal(plain.status, 1);
    assert.doesNotMatch(plain.stdout, /metadata:/);
    assert.match(plain.stderr, /^azml: 1 file of model odd version 1 was not downloaded/m);
    assert.deepEqual(readdirSync(to), ['model.pkl']);
  });

  it('says which version does not exist, and writes nothing', () => {
    const to = path.join(work, 'missing');
    const result = azml(['download-model', '--name', 'churn', '--version', '9', '--to', to]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Model "churn" has no version "9"/);
    assert.throws(() => readdirSync(to));
  });
});
