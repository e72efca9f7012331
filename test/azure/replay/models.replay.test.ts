import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatastoreStorage } from '../../../src/azure/datastoreStorage';
import { uploadToDatastore } from '../../../src/core/transfer/uploadFolder';
import { rejection } from '../../support/rejection';
import { loadRecording, ReplayServer, type RecordedEntry } from '../../support/replayServer';
import { replayWorkspaceClient } from './replayClient';

const modelName = 'test_907403507619';
const container = 'azureml-blobstore-8e7dad76-df37-472b-b882-0c1c58adfcf9';
const uploadFolder = 'LocalUpload/00000000000000000000000000000000';
const recordedSas = 'sv=Sanitized&sig=000000000000000000000000000000000000&se=Sanitized&srt=co&ss=bf&sp=rcuwdl';

/**
 * azure-ai-ml found the file already uploaded (HEAD 200) and sent no PUT; our uploader, asked to
 * overwrite, PUTs it. This is the answer Blob Storage gives a Put Blob.
 */
const putBlob: RecordedEntry = {
  synthetic: 'our upload PUTs the file where azure-ai-ml found it present by HEAD',
  RequestUri: `https://Sanitized.blob.core.windows.net/${container}/${uploadFolder}/lightgbm_mlflow_model/MLmodel?${recordedSas}`,
  RequestMethod: 'PUT',
  StatusCode: 201,
  ResponseHeaders: {},
};

describe('replay: register a model from a file (model-create-from-file.json)', () => {
  let replay: ReplayServer;
  let dir: string;
  beforeEach(async () => {
    replay = await ReplayServer.start(await loadRecording('model-create-from-file.json'), [putBlob]);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-replay-model-'));
  });
  afterEach(async () => {
    await replay.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a model that does not exist yet (404 ModelNotFound) gets its first registered version', async () => {
    const client = replayWorkspaceClient(replay);
    assert.equal(await client.models.latestVersion(modelName), undefined, 'ModelNotFound means no version yet');

    const datastore = await client.datastores.get('workspaceblobstore');
    const secrets = await client.datastores.listSecrets(datastore.name);
    const local = path.join(dir, 'lightgbm_mlflow_model');
    await fs.mkdir(local);
    await fs.writeFile(path.join(local, 'MLmodel'), 'flavors:\n  sklearn: {}\n');
    const result = await uploadToDatastore({
      storage: openDatastoreStorage({ cloud: client.cloud, datastore, secrets }),
      localRoot: local, targetPath: `${uploadFolder}/lightgbm_mlflow_model`, policy: 'overwrite',
    });
    assert.equal(result.fatal, undefined);
    assert.deepEqual([result.transferred.files, result.failed.length], [1, 0]);

    const registered = await client.models.createOrUpdateVersion(modelName, '3', {
      modelUri: `azureml://datastores/workspaceblobstore/paths/${uploadFolder}/lightgbm_mlflow_model/`,
      modelType: 'mlflow_model', description: 'this is my test model', tags: { foo: 'bar', abc: '123' },
    });
    assert.deepEqual([registered.name, registered.version, registered.modelType], [modelName, '3', 'mlflow_model']);
    const read = await client.models.getVersion(modelName, '3');
    assert.deepEqual(read.tags, { foo: 'bar', abc: '123' });
    const versions = await client.models.listVersions(modelName);
    assert.deepEqual(versions.items.map((v) => v.version), ['3']);
    replay.assertAllRecorded();
  });

  it('listing the versions of a model that does not exist says so', async () => {
    const error = await rejection(replayWorkspaceClient(replay).models.listVersions(modelName));
    assert.equal(error.status, 404);
    assert.equal(error.code, 'ModelNotFound');
    assert.match(error.message, /Model "test_907403507619" does not exist in this workspace/);
  });
});
