import { strict as assert } from 'node:assert';
import { loadRecording, ReplayServer } from '../../support/replayServer';
import { replayWorkspaceClient } from './replayClient';

describe('replay: datastores as recorded (datastore-blob-crud.json)', () => {
  let replay: ReplayServer;
  beforeEach(async () => {
    replay = await ReplayServer.start(await loadRecording('datastore-blob-crud.json'));
  });
  afterEach(async () => {
    await replay.close();
  });

  it('lists, gets and reads the SAS secret of a datastore, every request as recorded', async () => {
    const client = replayWorkspaceClient(replay);
    const name = 'test_916716951091';
    const listed = await client.datastores.list();
    assert.equal(listed.items.length, 9);
    assert.ok(listed.items.some((d) => d.name === name));
    assert.equal(listed.continuationToken, undefined);
    const datastore = await client.datastores.get(name);
    assert.equal(datastore.datastoreType, 'AzureBlob');
    assert.equal(datastore.credentialsType, 'AccountKey');
    const secrets = await client.datastores.listSecrets(name);
    assert.equal(secrets.secretsType, 'Sas');
    assert.ok(secrets.secretsType === 'Sas' && secrets.sasToken.includes('sig='));
    assert.deepEqual(replay.requestsTo('POST', `/datastores/${name}/listSecrets`).map((r) => r.body),
      [{ expirableSecret: true, expireAfterHours: 1 }]);
    replay.assertAllRecorded();
  });
});
