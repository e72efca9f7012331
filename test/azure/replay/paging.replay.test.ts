import { strict as assert } from 'node:assert';
import { loadRecording, ReplayServer, type Recording, type RecordedEntry } from '../../support/replayServer';
import { replayWorkspaceClient } from './replayClient';

/**
 * The recorded test did not follow the list's nextLink; this is the last page the service would
 * answer for it (one more component, no nextLink).
 */
function lastPage(recording: Recording): RecordedEntry {
  const first = recording.Entries.find((e) => e.RequestMethod === 'GET' && /\/components\?/.test(e.RequestUri));
  const nextLink = (first?.ResponseBody as { nextLink: string }).nextLink;
  const id = '/subscriptions/00000000-0000-0000-0000-000000000/resourceGroups/00000/providers/Microsoft.MachineLearningServices/workspaces/00000/components/last_page_component';
  return {
    synthetic: 'the page the recorded nextLink names; the recorded test stopped after the first page',
    RequestUri: nextLink,
    RequestMethod: 'GET',
    StatusCode: 200,
    ResponseHeaders: { 'Content-Type': 'application/json; charset=utf-8' },
    ResponseBody: { value: [{ id, name: 'last_page_component', type: 'Microsoft.MachineLearningServices/workspaces/components', properties: { description: '', tags: {}, properties: {}, isArchived: false, latestVersion: '1' } }] },
  };
}

describe('replay: a list paged to its end (component-list-paged.json)', () => {
  let replay: ReplayServer | undefined;
  afterEach(async () => {
    await replay?.close();
  });

  for (const [title, keepHosts] of [
    ['follows the $skipToken nextLink to the last page', undefined],
    ['follows a nextLink that names management.azure.com on the ARM endpoint the list came from', /^management\.azure\.com$/],
  ] as const) {
    it(title, async () => {
      const recording = await loadRecording('component-list-paged.json');
      replay = await ReplayServer.start(recording, [lastPage(recording)], keepHosts ? { keepHosts } : {});
      const names: string[] = [];
      for await (const component of replayWorkspaceClient(replay).components.listAll()) names.push(component.name);
      assert.equal(names.length, 49);
      assert.ok(names.includes('test_660044879077'));
      assert.equal(names[48], 'last_page_component');
      assert.equal(replay.requests.filter((r) => /\$skipToken=/i.test(r.url)).length, 1);
      replay.assertAllRecorded();
    });
  }
});
