import { strict as assert } from 'node:assert';
import { loadRecording, ReplayServer } from '../../support/replayServer';
import { replayWorkspaceClient } from './replayClient';

describe('replay: code snapshot hash lookup as recorded (code-create-hash-lookup.json)', () => {
  let replay: ReplayServer;
  beforeEach(async () => {
    replay = await ReplayServer.start(await loadRecording('code-create-hash-lookup.json'));
  });
  afterEach(async () => {
    await replay.close();
  });

  it('reuses the version the hash lookup finds under another code name', async () => {
    const client = replayWorkspaceClient(replay);
    const found = await client.codes.findVersionByHash('test_486492584222', '49eadfeccdc40c46a054f17f07829f9bd5bf4ff0b51fb49f2de9a63d5ddf0098');
    assert.ok(found);
    assert.equal(found.name, 'test_679501396464');
    assert.equal(found.version, '2');
    assert.match(found.id, /\/codes\/test_679501396464\/versions\/2$/);
    replay.assertAllRecorded();
  });
});
