/**
 * The extension's side of the bad-input corpus (the CLI's is test/badInput): the errors the
 * real components raise for bad input, through the one mapping every command's message goes
 * through (describeError), and the forms' rules on bad field values. Each answer says what
 * to do; a command that fixes it is offered where there is one.
 */
import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localCloud } from '../../src/azure/cloud';
import { openDatastoreStorage } from '../../src/azure/datastoreStorage';
import type { Datastore, DatastoreSecrets } from '../../src/azure/domain';
import { errorFromResponse } from '../../src/azure/errors';
import { mapDatastore, mapDatastoreSecrets } from '../../src/azure/mappers';
import { commandJobFromYaml } from '../../src/core/jobSpec/commandJobYaml';
import { parseBlobListPage } from '../../src/core/transfer/blobListing';
import { transferStoppingError } from '../../src/core/transfer/accessErrors';
import {
  accountKeyError, containerNameError, datastoreNameError, endpointSuffixError, guidError, localPathError, modelNameError,
  modelVersionError, sasTokenError, storageAccountNameError, storagePathError, tagsError,
} from '../../src/forms/validation';
import { readDiscoveryFile } from '../../src/local/discovery';
import { describeError, registerDatastoreRemedy, selectWorkspaceRemedy, signInRemedy, useLocalWorkspaceRemedy, type Remedy } from '../../src/ui/describeError';

const cloud = localCloud({ armEndpoint: 'http://127.0.0.1:1', blobEndpoint: 'http://127.0.0.1:2/acct', fileEndpoint: 'http://127.0.0.1:3/acct', queueEndpoint: 'http://127.0.0.1:4/acct' });
const blobDatastore = (credentialsType: Datastore['credentialsType']): Datastore => ({
  id: '', name: 'training', datastoreType: 'AzureBlob', accountName: 'acct', containerName: 'data', endpoint: 'local',
  isDefault: false, credentialsType, tags: {}, properties: {},
});

/** What the real component throws for the bad input. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  assert.fail('expected the bad input to be refused');
}

async function rejectedBy(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  assert.fail('expected the bad input to be refused');
}

const storageWith = (secrets: DatastoreSecrets): unknown => thrownBy(() => openDatastoreStorage({ cloud, datastore: blobDatastore(secrets.secretsType as Datastore['credentialsType']), secrets }));
const hour = 3_600_000;
const iso = (ms: number): string => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');
const jobContext = { workspaceId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w', latestEnvironmentVersion: async () => '1' };

interface MessageCase {
  name: string;
  error: (dir: string) => Promise<unknown>;
  says: RegExp;
  remedy?: Remedy;
  connection?: 'azure' | 'local';
}

const messageCases: MessageCase[] = [
  { name: 'a workspace you may not read (403 AuthorizationFailed)', error: async () => errorFromResponse(403, JSON.stringify({ error: { code: 'AuthorizationFailed', message: "The client 'me' does not have authorization to perform action 'datastores/read'." } })), says: /^You don't have permission: .*does not have authorization.*Ask an owner of the workspace for a role/, remedy: selectWorkspaceRemedy },
  { name: 'an expired Azure sign-in (401)', error: async () => errorFromResponse(401, ''), says: /sign-in has expired or is missing/, remedy: signInRemedy },
  { name: 'a restarted local workspace (401)', connection: 'local', error: async () => errorFromResponse(401, ''), says: /refused the connection .*Connect again/, remedy: useLocalWorkspaceRemedy },
  { name: 'throttling (429)', error: async () => errorFromResponse(429, JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests.' } })), says: /wait a minute and try again/ },
  { name: 'a local-workspace.json cut off', connection: 'local', error: async (dir) => { await fs.writeFile(path.join(dir, 'local-workspace.json'), '{"pid":'); return rejectedBy(() => readDiscoveryFile(dir)); }, says: /^No local workspace is running for .+ \(local-workspace\.json is not valid JSON\)\.$/, remedy: useLocalWorkspaceRemedy },
  { name: 'a SAS token pasted as a whole URL', error: async () => storageWith({ secretsType: 'Sas', sasToken: 'https://acct.blob.core.windows.net/data?sv=2024-11-04&sig=abc' }), says: /is a whole URL: update the datastore's credentials with only the token/, remedy: registerDatastoreRemedy },
  { name: 'an expired SAS token', error: async () => storageWith({ secretsType: 'Sas', sasToken: `sv=2024-11-04&sp=rl&se=${iso(-hour)}&sig=abc` }), says: /expired on .* UTC: update the datastore's credentials/, remedy: registerDatastoreRemedy },
  { name: 'a SAS token not valid yet', error: async () => storageWith({ secretsType: 'Sas', sasToken: `sv=2024-11-04&sp=rl&st=${iso(hour)}&sig=abc` }), says: /is not valid before .* UTC: wait until then or update the datastore's credentials/, remedy: registerDatastoreRemedy },
  { name: 'a SAS token without a signature', error: async () => storageWith({ secretsType: 'Sas', sasToken: 'sv=2024-11-04&sp=rl' }), says: /is not a SAS token \(it has no signature, sig=\): update the datastore's credentials/, remedy: registerDatastoreRemedy },
  { name: 'an account key that is not base64', error: async () => storageWith({ secretsType: 'AccountKey', key: 'not a key!' }), says: /account key of datastore "training" is not base64 text/, remedy: registerDatastoreRemedy },
  { name: 'a read-only SAS token for an upload', error: async () => transferStoppingError(Object.assign(new Error('denied'), { statusCode: 403, code: 'AuthorizationPermissionMismatch' }), blobDatastore('Sas'), 'write'), says: /does not allow write \(w\) access: update the datastore's credentials with a SAS token with write/, remedy: registerDatastoreRemedy },
  { name: 'a rotated account key', error: async () => transferStoppingError(Object.assign(new Error('denied'), { statusCode: 403, code: 'AuthenticationFailed' }), blobDatastore('AccountKey'), 'read'), says: /account key of datastore "training" was rejected .*update the datastore's credentials/, remedy: registerDatastoreRemedy },
  { name: 'a missing data role (identity-based access)', error: async () => transferStoppingError(Object.assign(new Error('denied'), { statusCode: 403, code: 'AuthorizationPermissionMismatch' }), blobDatastore('None'), 'write'), says: /needs the Storage Blob Data Contributor role/ },
  { name: 'a missing container', error: async () => transferStoppingError(Object.assign(new Error('gone'), { statusCode: 404, code: 'ContainerNotFound' }), blobDatastore('AccountKey'), 'list'), says: /does not exist: create it or point the datastore at one that does/ },
  { name: 'datastore secrets of no known type', error: async () => thrownBy(() => mapDatastoreSecrets({} as never, 'training')), says: /secrets of datastore "training" are not what was expected.*update the datastore's credentials/, remedy: registerDatastoreRemedy },
  { name: 'a datastore answer without properties', error: async () => thrownBy(() => mapDatastore({ name: 'x' } as never)), says: /not what was expected \(a datastore without its name or properties\): try again/ },
  { name: 'a blob listing cut off', error: async () => thrownBy(() => parseBlobListPage('<?xml version="1.0"?><EnumerationResults><Blobs><Blob><Name>a')), says: /listing that was cut off .*try again/ },
  { name: 'job YAML that is not YAML', error: async (dir) => rejectedBy(() => commandJobFromYaml('command: "python', path.join(dir, 'job.yml'), jobContext)), says: /job\.yml is not valid YAML/ },
  { name: 'an empty job file', error: async (dir) => rejectedBy(() => commandJobFromYaml('', path.join(dir, 'job.yml'), jobContext)), says: /job\.yml is empty: write a command job/ },
  { name: 'an unknown ${{inputs.x}}', error: async (dir) => rejectedBy(() => commandJobFromYaml('command: python t.py ${{inputs.x}}\nenvironment: azureml:e:1\n', path.join(dir, 'job.yml'), jobContext)), says: /declares no input "x"/ },
  { name: 'a missing code folder', error: async (dir) => rejectedBy(() => commandJobFromYaml('command: python t.py\nenvironment: azureml:e:1\ncode: ./nope\n', path.join(dir, 'job.yml'), jobContext)), says: /"code: \.\/nope" does not exist/ },
  { name: 'a file that does not exist', error: async (dir) => rejectedBy(() => fs.readFile(path.join(dir, 'gone.py'))), says: /gone\.py does not exist: check the path/ },
  { name: 'a folder where a file is expected', error: async (dir) => rejectedBy(() => fs.readFile(dir)), says: /is a folder: choose a file/ },
  { name: 'a symbolic link loop', error: async (dir) => { symlinkSync('loop', path.join(dir, 'loop')); return rejectedBy(() => fs.readFile(path.join(dir, 'loop'))); }, says: /loop is a loop of symbolic links: fix or remove the link/ },
  { name: 'a path below a file', error: async (dir) => { await fs.writeFile(path.join(dir, 'f'), 'x'); return rejectedBy(() => fs.readFile(path.join(dir, 'f', 'g'))); }, says: /is a file, not a folder: check the path/ },
];

describe('bad input in the extension: one message with what to do (describeError)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'azml-bad-messages-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of messageCases) {
    it(c.name, async () => {
      const described = describeError(await c.error(dir), c.connection ?? 'azure');
      assert.match(described.message, c.says);
      assert.doesNotMatch(described.message, /\n|\bundefined\b|\[object Object\]|(Type|Syntax|Reference)Error/);
      assert.deepEqual(described.remedy, c.remedy);
    });
  }
});

/** A field value a person types into a registration form, and the message next to the field. */
const fieldCases: Array<[string, () => string | undefined, RegExp]> = [
  ['a datastore name with a space', () => datastoreNameError('my store'), /letters, digits and underscores/],
  ['a datastore name that exists (other case)', () => datastoreNameError('Files', ['files']), /A datastore named "files" already exists/],
  ['a datastore name of 256 characters', () => datastoreNameError('a'.repeat(256)), /at most 255/],
  ['a storage account name with capitals', () => storageAccountNameError('MyAccount'), /lowercase letters and digits/],
  ['a storage account name of 2 characters', () => storageAccountNameError('ab'), /3 to 24 characters/],
  ['a container name with two hyphens', () => containerNameError('my--data', 'AzureBlob'), /two hyphens in a row/],
  ['a container name ending in a hyphen', () => containerNameError('data-', 'AzureBlob'), /Start and end with a letter or digit/],
  ['an endpoint given as a URL', () => endpointSuffixError('https://core.windows.net'), /only the suffix/],
  ['an account key with a line break', () => accountKeyError('abc\ndef'), /paste it again/],
  ['an account key that is not base64', () => accountKeyError('not-base64!'), /base64 text/],
  ['a SAS token pasted as a URL', () => sasTokenError('https://a.blob.core.windows.net/c?sv=1&sig=x'), /Paste only the token/],
  ['a SAS token without a signature', () => sasTokenError('sv=2024-11-04&sp=rl'), /no signature \(sig=\)/],
  ['an expired SAS token', () => sasTokenError(`sv=1&se=${iso(-hour)}&sig=x`), /expired on/],
  ['a SAS token not valid yet', () => sasTokenError(`sv=1&st=${iso(hour)}&sig=x`), /not valid before .*create one that starts now/],
  ['a tenant ID that is not a GUID', () => guidError('contoso.onmicrosoft.com', 'tenant ID'), /is a GUID/],
  ['a model name starting with a hyphen', () => modelNameError('-model'), /Start with a letter or digit/],
  ['a model version with a slash', () => modelVersionError('1/2'), /letters, digits, dots/],
  ['a datastore path with ".."', () => storagePathError('data/../secrets', 'path in the datastore'), /"\." or "\.\." segments/],
  ['a datastore path starting with "/"', () => storagePathError('/data', 'path in the datastore'), /without a leading "\/"/],
  ['a datastore path with backslashes', () => storagePathError('data\\x', 'path in the datastore'), /Separate folders with "\/"/],
  ['a relative local path', () => localPathError('model.pkl'), /absolute path/],
  ['a tag given twice', () => tagsError([{ key: 'a', value: '1' }, { key: 'a', value: '2' }]), /appears twice/],
  ['a tag with a value but no name', () => tagsError([{ key: ' ', value: '1' }]), /has a value but no name/],
];

describe('bad input in the registration forms: the message next to the field', () => {
  for (const [name, check, says] of fieldCases) {
    it(name, () => {
      const message = check();
      assert.ok(message, 'the value must be refused');
      assert.match(message, says);
    });
  }
});
