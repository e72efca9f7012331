/**
 * `azml --cloud-config` and `AZML_ACCESS_TOKEN`, run as the bundled CLI against the replay of
 * real Azure answers (the replay server is the custom cloud's Resource Manager).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, repoRoot } from '../support/repo';
import { loadRecording, ReplayServer, type RecordedEntry } from '../support/replayServer';

interface CliResult { status: number | null; stdout: string; stderr: string }

const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOi.replay-access-token.c2lnbmF0dXJl';
const workspaceArgs = ['--subscription', '00000000-0000-0000-0000-000000000', '--resource-group', '00000', '--workspace', '00000'];

/** Asynchronous, since the replay server answers from this process. */
function azml(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  ensureBuilt();
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
      encoding: 'utf8', env: { ...process.env, AZURE_CONFIG_DIR: os.tmpdir(), ...env }, timeout: 60000,
    }, (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}

describe('azml with a custom cloud (--cloud-config) and AZML_ACCESS_TOKEN', () => {
  let dir: string;
  let replay: ReplayServer | undefined;
  let configFile: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-cloud-config-'));
    configFile = path.join(dir, 'cloud.json');
  });
  afterEach(async () => {
    await replay?.close();
    replay = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function replaying(file: string, extra: RecordedEntry[] = []): Promise<ReplayServer> {
    replay = await ReplayServer.start(file ? await loadRecording(file) : { Entries: [] }, extra);
    await fs.writeFile(configFile, JSON.stringify({ name: 'Replay', resourceManagerEndpoint: replay.url, storageEndpointSuffix: 'core.windows.net' }));
    return replay;
  }

  it('lists datastores on the custom cloud with the token from the environment, never printing it', async () => {
    const server = await replaying('datastore-blob-crud.json');
    const result = await azml(['datastores', '--cloud-config', configFile, ...workspaceArgs, '--json'], { AZML_ACCESS_TOKEN: token });
    assert.equal(result.status, 0, result.stderr);
    const names = (JSON.parse(result.stdout) as Array<{ name: string }>).map((d) => d.name);
    assert.equal(names.length, 9);
    assert.ok(names.includes('test_916716951091'));
    assert.deepEqual(server.requests.map((r) => r.headers.authorization), [`Bearer ${token}`]);
    assert.ok(!`${result.stdout}${result.stderr}`.includes('replay-access-token'));
    server.assertAllRecorded();
  });

  it('a model that does not exist (404 ModelNotFound) is reported as such', async () => {
    const server = await replaying('model-create-from-file.json');
    const result = await azml(['models', '--name', 'test_907403507619', '--cloud-config', configFile, ...workspaceArgs], { AZML_ACCESS_TOKEN: token });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Model "test_907403507619" does not exist in this workspace/);
    server.assertAllRecorded();
  });

  it('a refused token (401) says the token in AZML_ACCESS_TOKEN was refused, without showing it', async () => {
    const recording = await loadRecording('datastore-blob-crud.json');
    const list = recording.Entries.find((e) => e.RequestMethod === 'GET' && /\/datastores\?/.test(e.RequestUri))!;
    await replaying('', [{
      ...list, synthetic: 'what ARM answers an expired token', StatusCode: 401,
      ResponseHeaders: { 'Content-Type': 'application/json; charset=utf-8' },
      ResponseBody: { error: { code: 'ExpiredAuthenticationToken', message: 'The access token expiry UTC time is earlier than current UTC time.' } },
    }]);
    const result = await azml(['datastores', '--cloud-config', configFile, ...workspaceArgs], { AZML_ACCESS_TOKEN: token });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /The token in AZML_ACCESS_TOKEN was refused \(expired, or not for this cloud\)/);
    assert.ok(!result.stderr.includes('replay-access-token'));
  });

  it('the token is never sent to storage: an identity-based datastore is refused saying the token has one audience', async () => {
    const datastores = '/subscriptions/00000000-0000-0000-0000-000000000/resourceGroups/00000/providers/Microsoft.MachineLearningServices/workspaces/00000/datastores';
    const server = await replaying('', [{
      RequestMethod: 'GET', RequestUri: `https://Sanitized.azure.com${datastores}/lake?api-version=2024-07-01-preview`, StatusCode: 200,
      synthetic: 'an identity-based blob datastore (credentialsType None): storage access needs a token for storage',
      ResponseBody: {
        id: `${datastores}/lake`, name: 'lake', type: 'Microsoft.MachineLearningServices/workspaces/datastores',
        properties: { credentials: { credentialsType: 'None' }, datastoreType: 'AzureBlob', accountName: 'lakeacct', containerName: 'data', endpoint: 'core.windows.net', protocol: 'https' },
      },
    }]);
    const result = await azml(['download', '--datastore', 'lake', '--path', '', '--to', path.join(dir, 'out'), '--cloud-config', configFile, ...workspaceArgs],
      { AZML_ACCESS_TOKEN: token });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /The token in AZML_ACCESS_TOKEN is for Azure Resource Manager .*one token has only one audience/);
    assert.deepEqual(server.requests.map((r) => r.headers.authorization), [`Bearer ${token}`], 'only Resource Manager got the token');
    assert.ok(!result.stderr.includes('replay-access-token'));
  });

  it('a cloud configuration that cannot work is refused with what to fix, before any request', async () => {
    await fs.writeFile(configFile, JSON.stringify({ resourceManagerEndpoint: 'http://management.example.com', storageEndpointSuffix: 'x.example' }));
    const bad = await azml(['datastores', '--cloud-config', configFile, ...workspaceArgs], { AZML_ACCESS_TOKEN: token });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /"resourceManagerEndpoint" of the cloud configuration must be an https:\/\/ address/);
    const both = await azml(['datastores', '--cloud', 'AzureCloud', '--cloud-config', configFile, ...workspaceArgs], { AZML_ACCESS_TOKEN: token });
    assert.equal(both.status, 2);
    assert.match(both.stderr, /Use either --cloud or --cloud-config, not both/);
    const missing = await azml(['datastores', '--cloud-config', path.join(dir, 'nope.json'), ...workspaceArgs], {});
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--cloud-config: can't read .*nope\.json \(ENOENT\)/);
  });
});
