import { strict as assert } from 'node:assert';
import { openDatastoreStorage } from '../../../src/azure/datastoreStorage';
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

  it('creates (201 with a Location), lists, gets and reads the SAS secret of a datastore, every request as recorded', async () => {
    const client = replayWorkspaceClient(replay);
    const name = 'test_916716951091';
    const created = await client.datastores.createOrUpdate({
      name, datastoreType: 'AzureBlob', accountName: 'Sanitized', containerName: 'testblob', endpoint: 'core.windows.net', protocol: 'https',
      credentials: { credentialsType: 'AccountKey', key: 'dGhpcyBpcyBmYWtlIGtleQ==' },
    }, { skipValidation: true });
    assert.deepEqual([created.name, created.containerName, created.credentialsType], [name, 'testblob', 'AccountKey']);
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

describe('replay: every shape listSecrets answers (recorded datastore, synthetic answers)', () => {
  const shapes: Array<[string, Record<string, string>, string]> = [
    ['a SAS with the leading "?" (as recorded)', { secretsType: 'Sas', sasToken: '?sv=2024-11-04&se=2030-01-01T00%3A00%3A00Z&sp=rl&sig=AAAA' }, '?sv=2024-11-04&se=2030-01-01T00%3A00%3A00Z&sp=rl&sig=AAAA'],
    ['a SAS without "?"', { secretsType: 'Sas', sasToken: 'sv=2024-11-04&se=2030-01-01T00%3A00%3A00Z&sp=rl&sig=AAAA' }, '?sv=2024-11-04&se=2030-01-01T00%3A00%3A00Z&sp=rl&sig=AAAA'],
    ['a SAS bound to a stored access policy (si=)', { secretsType: 'Sas', sasToken: 'sv=2024-11-04&si=readers&sr=c&sig=AAAA' }, '?sv=2024-11-04&si=readers&sr=c&sig=AAAA'],
    ['an account key (services that ignore the body)', { secretsType: 'AccountKey', key: 'dGhpcyBpcyBmYWtlIGtleQ==' }, ''],
  ];
  for (const [title, answer, query] of shapes) {
    it(title, async () => {
      const recording = await loadRecording('datastore-blob-crud.json');
      const get = recording.Entries.find((e) => e.RequestMethod === 'GET' && /datastores\/test_916716951091\?/.test(e.RequestUri))!;
      const listSecrets = recording.Entries.find((e) => e.RequestMethod === 'POST')!;
      const replay = await ReplayServer.start({ Entries: [get] }, [{ ...listSecrets, ResponseBody: answer, synthetic: `listSecrets answering ${title}` }]);
      try {
        const client = replayWorkspaceClient(replay);
        const datastore = await client.datastores.get('test_916716951091');
        const secrets = await client.datastores.listSecrets(datastore.name);
        assert.ok(secrets.expiresAt && secrets.expiresAt.getTime() <= Date.now() + 3_600_000);
        const storage = openDatastoreStorage({ cloud: client.cloud, datastore, secrets });
        assert.ok(storage.kind === 'blob');
        assert.equal(storage.container.url, `${replay.url}/testblob${query}`);
        replay.assertAllRecorded();
      } finally {
        await replay.close();
      }
    });
  }
});
