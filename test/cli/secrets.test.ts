/**
 * azml with datastores that hold a known account key and known SAS tokens, against the local
 * workspace: none of them, nor the workspace's bearer token, appears in stdout or stderr, on
 * success or on error.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { ensureBuilt, repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

interface CliResult { status: number | null; stdout: string; output: string }

describe('azml never prints a secret', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let work: string;
  let sasToken: string;
  let readOnlySas: string;
  let key: string;

  const azml = (...args: string[]): CliResult => {
    ensureBuilt();
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', local.dataDir], {
      encoding: 'utf8', timeout: 120_000, cwd: work, env: { ...process.env, XDG_STATE_HOME: path.join(work, 'state') },
    });
    return { status: result.status, stdout: result.stdout, output: `${result.stdout}\n${result.stderr}` };
  };

  before(async () => {
    local = await startLocalWorkspace();
    key = localStorageKey(local.dataDir);
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-cli-secrets-'));
    mkdirSync(path.join(work, 'project'));
    writeFileSync(path.join(work, 'project', 'data.csv'), 'a,b\n1,2\n');
    writeFileSync(path.join(work, 'train.py'), 'print("training", flush=True)\n');
    const ws = connectLocalWorkspace(local.connection).workspaceClient;
    const container = (await ws.datastores.get('workspaceblobstore')).containerName!;
    const sas = (permissions: string) => generateBlobSASQueryParameters({
      containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3_600_000),
    }, new StorageSharedKeyCredential(devStorageAccount.name, key)).toString();
    sasToken = sas('racwdl');
    readOnlySas = sas('rl');
    const blob = { datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: container, endpoint: 'local' } as const;
    await ws.datastores.createOrUpdate({ ...blob, name: 'key_store', credentials: { credentialsType: 'AccountKey', key } }, { skipValidation: true });
    await ws.datastores.createOrUpdate({ ...blob, name: 'sas_store', credentials: { credentialsType: 'Sas', sasToken } }, { skipValidation: true });
    await ws.datastores.createOrUpdate({ ...blob, name: 'readonly_store', credentials: { credentialsType: 'Sas', sasToken: readOnlySas } }, { skipValidation: true });
    // A SAS with a forged signature: the storage refuses it.
    await ws.datastores.createOrUpdate({
      ...blob, name: 'forged_store', credentials: { credentialsType: 'Sas', sasToken: sasToken.replace(/sig=[^&]+/, 'sig=Zm9yZ2VkLXNpZ25hdHVyZQ%3D%3D') },
    }, { skipValidation: true });
  });
  after(async () => {
    await local?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function assertNoSecret(result: CliResult, what: string): void {
    const sig = (token: string) => new URLSearchParams(token).get('sig')!;
    const secrets: Array<[string, string]> = [
      ['account key', key], ['SAS token', sasToken], ['SAS signature', sig(sasToken)],
      ['read-only SAS signature', sig(readOnlySas)], ['forged signature', 'Zm9yZ2VkLXNpZ25hdHVyZQ'], ['bearer token', local.connection.token],
    ];
    for (const [name, value] of secrets) {
      for (const form of [value, encodeURIComponent(value)]) assert.ok(!result.output.includes(form), `${what} printed the ${name}:\n${result.output}`);
    }
  }

  it('on success: datastores, upload with the SAS, download with the key, submit --follow and logs', () => {
    const listed = azml('datastores', '--json');
    assert.equal(listed.status, 0, listed.output);
    assertNoSecret(listed, 'datastores');
    const up = azml('upload', path.join(work, 'project'), '--datastore', 'sas_store', '--on-exists', 'overwrite');
    assert.equal(up.status, 0, up.output);
    assertNoSecret(up, 'upload');
    const down = azml('download', '--datastore', 'key_store', '--path', 'project', '--to', path.join(work, 'down'));
    assert.equal(down.status, 0, down.output);
    assertNoSecret(down, 'download');
    const submitted = azml('submit', 'train.py', '--follow', '--experiment', 'secrets');
    assert.equal(submitted.status, 0, submitted.output);
    assert.match(submitted.output, /training/);
    assertNoSecret(submitted, 'submit --follow');
    const job = submitted.stdout.split('\n')[0]!.trim();
    const logs = azml('logs', job);
    assert.equal(logs.status, 0, logs.output);
    assert.match(logs.output, /training/);
    assertNoSecret(logs, 'logs');
  });

  it('on error: a SAS without write access, and a SAS the storage rejects', () => {
    const readOnly = azml('upload', path.join(work, 'project'), '--datastore', 'readonly_store', '--on-exists', 'overwrite');
    assert.notEqual(readOnly.status, 0, readOnly.output);
    assertNoSecret(readOnly, 'upload with a read-only SAS');
    const forged = azml('download', '--datastore', 'forged_store', '--path', 'project', '--to', path.join(work, 'down2'));
    assert.notEqual(forged.status, 0, forged.output);
    assertNoSecret(forged, 'download with a forged SAS');

    // Both are kept to be resumed: their journals hold names only.
    const journals = path.join(work, 'state', 'azml', 'transfers');
    const kept = readdirSync(journals);
    assert.equal(kept.length, 2);
    for (const id of kept) {
      for (const file of readdirSync(path.join(journals, id))) {
        const text = readFileSync(path.join(journals, id, file), 'utf8');
        assertNoSecret({ status: 0, stdout: text, output: text }, `the journal's ${file}`);
      }
    }
  });
});
