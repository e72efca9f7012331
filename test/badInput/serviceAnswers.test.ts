/**
 * What a service (or something pretending to be one: a proxy, a captive portal, a broken
 * gateway) answers wrongly. A loopback stub stands in for Azure ML and Azure Storage; the CLI
 * finds it through a local workspace discovery file, as it finds the local workspace.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoveryFileName, type LocalWorkspaceConnection } from '../../src/local/discovery';
import { StubServer, type RecordedRequest, type StubResponse } from '../azure/stubServer';
import { assertRefused, azmlAsync, treeOf } from './harness';

const subscriptionId = '00000000-0000-0000-0000-00000000000a';
const resourceGroup = 'rg';
const workspaceName = 'ws';
const workspacePath = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspaceName}`;
const container = 'data';

const forbidden = (action: string): StubResponse => ({
  status: 403,
  body: { error: { code: 'AuthorizationFailed', message: `The client 'someone@contoso.com' with object id '1111' does not have authorization to perform action '${action}' over scope '${workspacePath}' or the scope is invalid.` } },
});

const datastoreBody = {
  id: `${workspacePath}/datastores/files`, name: 'files', type: 'Microsoft.MachineLearningServices/workspaces/datastores',
  properties: {
    datastoreType: 'AzureBlob', accountName: 'devstoreaccount1', containerName: container, endpoint: 'local', protocol: 'http',
    credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey' } }, isDefault: true,
  },
};
const secretsBody = { secretsType: 'AccountKey', key: Buffer.alloc(64, 1).toString('base64') };

function blobListXml(names: readonly string[], end = '</Blobs><NextMarker /></EnumerationResults>'): string {
  const blobs = names.map((name) => {
    const encoded = /[\u0000-\u001f]/.test(name);
    const text = encoded ? encodeURIComponent(name) : name.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    return `<Blob><Name${encoded ? ' Encoded="true"' : ''}>${text}</Name><Properties><Content-Length>4</Content-Length></Properties><Metadata /></Blob>`;
  }).join('');
  return `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="x" ContainerName="${container}"><Prefix>in/</Prefix><Blobs>${blobs}${end}`;
}

/** Answers the requests of `azml download --datastore files --path in`: datastore, its secret, the listing, the blobs. */
function storageHandler(options: { datastore?: StubResponse; secrets?: StubResponse; listing?: StubResponse }) {
  return (request: RecordedRequest): StubResponse => {
    if (request.pathname === `${workspacePath}/datastores/files`) return options.datastore ?? { status: 200, body: datastoreBody };
    if (request.pathname === `${workspacePath}/datastores/files/listSecrets`) return options.secrets ?? { status: 200, body: secretsBody };
    if (request.query.get('comp') === 'list') {
      return options.listing ?? { status: 200, body: blobListXml(['in/good.txt']), headers: { 'content-type': 'application/xml' } };
    }
    if (request.method === 'GET' && request.pathname.startsWith(`/devstoreaccount1/${container}/`)) {
      return { status: 200, body: 'good', headers: {
        'content-type': 'application/octet-stream', 'content-length': '4', etag: '"0x1"', 'last-modified': new Date(0).toUTCString(), 'x-ms-blob-type': 'BlockBlob',
      } };
    }
    return { status: 404, body: { error: { code: 'NotFound', message: `unexpected ${request.method} ${request.pathname}` } } };
  };
}

/** A service answer to one list command, and what the one-line message must say. */
interface ListCase {
  name: string;
  command: 'datastores' | 'models' | 'jobs';
  answer: StubResponse;
  says: RegExp;
}

const notJson = /answered with something that is not valid JSON.*try again/;
const oddShape = /(an empty answer|unexpected shape|not what was expected).*try again/;
const askOwner = /does not have authorization.*Ask an owner of the workspace for a role that allows this/;

const listCases: ListCase[] = [
  { name: 'a workspace whose datastores you may not read (403)', command: 'datastores', answer: forbidden('Microsoft.MachineLearningServices/workspaces/datastores/read'), says: askOwner },
  { name: 'a workspace whose models you may not read (403)', command: 'models', answer: forbidden('Microsoft.MachineLearningServices/workspaces/models/read'), says: askOwner },
  { name: 'a workspace whose jobs you may not read (403)', command: 'jobs', answer: forbidden('Microsoft.MachineLearningServices/workspaces/jobs/read'), says: askOwner },
  { name: 'a 403 from a gateway, as an HTML page', command: 'datastores', answer: { status: 403, body: '<html><body>Forbidden</body></html>', headers: { 'content-type': 'text/html' } }, says: /Forbidden.*Ask an owner of the workspace/ },
  { name: 'throttled (429)', command: 'datastores', answer: { status: 429, body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } }, headers: { 'retry-after': '0' } }, says: /Too many requests\. The service is limiting requests: wait a minute and try again/ },
  { name: 'a truncated JSON list', command: 'datastores', answer: { status: 200, body: '{"value":[{"name":"a","properties":{"datastoreType":"Azu', headers: { 'content-type': 'application/json' } }, says: notJson },
  { name: 'an HTML page with 200 (a captive portal)', command: 'models', answer: { status: 200, body: '<html><body>Sign in to the hotel Wi-Fi</body></html>', headers: { 'content-type': 'application/json' } }, says: notJson },
  { name: 'an empty body with 200', command: 'jobs', answer: { status: 200, body: '', headers: { 'content-type': 'application/json' } }, says: oddShape },
  { name: 'JSON null', command: 'datastores', answer: { status: 200, body: 'null', headers: { 'content-type': 'application/json' } }, says: oddShape },
  { name: 'a list whose value is a string', command: 'datastores', answer: { status: 200, body: { value: 'oops' } }, says: oddShape },
  { name: 'a datastore without properties', command: 'datastores', answer: { status: 200, body: { value: [{ name: 'a' }] } }, says: oddShape },
  { name: 'a datastore whose properties are a string', command: 'datastores', answer: { status: 200, body: { value: [{ name: 'a', properties: 'AzureBlob' }] } }, says: oddShape },
  { name: 'a model whose name is a number', command: 'models', answer: { status: 200, body: { value: [{ name: 5, properties: {} }] } }, says: oddShape },
  { name: 'a job whose properties are a list', command: 'jobs', answer: { status: 200, body: { value: [{ name: 'j', properties: [1, 2] }] } }, says: oddShape },
  { name: 'a nextLink that is not a URL and repeats', command: 'models', answer: { status: 200, body: { value: [], nextLink: 'not a url' } }, says: /same page twice \(its nextLink repeats\).*try again/ },
  { name: 'a nextLink that is a number', command: 'models', answer: { status: 200, body: { value: [], nextLink: 42 } }, says: oddShape },
];

/** A download whose service answers go wrong. */
interface DownloadCase {
  name: string;
  options: Parameters<typeof storageHandler>[0];
  says: RegExp;
}

const downloadCases: DownloadCase[] = [
  { name: 'a datastore whose secrets you may not read (403)', options: { secrets: forbidden('Microsoft.MachineLearningServices/workspaces/datastores/listSecrets/action') }, says: askOwner },
  { name: 'a datastore answer without a storage account', options: { datastore: { status: 200, body: { ...datastoreBody, properties: { ...datastoreBody.properties, accountName: undefined } } } }, says: /Datastore "files" has no storage account name: update the datastore's settings/ },
  { name: 'a datastore answer that is cut off', options: { datastore: { status: 200, body: '{"name":"files","properties":{"datastoreType":"AzureBl', headers: { 'content-type': 'application/json' } } }, says: notJson },
  { name: 'secrets of no known type', options: { secrets: { status: 200, body: {} } }, says: /secrets of datastore "files" .*(unexpected shape|not what was expected).*try again/ },
  { name: 'secrets that are cut off', options: { secrets: { status: 200, body: '{"secretsType":"AccountKey","key":"abc', headers: { 'content-type': 'application/json' } } }, says: notJson },
  { name: 'a blob listing cut off in the middle', options: { listing: { status: 200, body: blobListXml(['in/good.txt', 'in/more.txt'], '<Blob><Name>in/la'), headers: { 'content-type': 'application/xml' } } }, says: /listing .* was cut off.*try again/ },
  { name: 'a blob listing whose NextMarker repeats (an empty page, again and again)', options: { listing: { status: 200, body: blobListXml([], '</Blobs><NextMarker>again</NextMarker></EnumerationResults>'), headers: { 'content-type': 'application/xml' } } }, says: /same listing page twice \(its NextMarker repeats\).*try again/ },
  { name: 'a blob listing that is JSON', options: { listing: { status: 200, body: { value: [] } } }, says: /listing .* (was cut off|is not a blob listing).*try again/ },
];

/** Remote names that must not become local paths (the listing of `in/` holds them next to `in/good.txt`). */
const remoteNames: Array<[string, string]> = [
  ['".." as a folder', 'in/../evil.txt'],
  ['".." twice, out of the folder', 'in/a/../../../evil.txt'],
  ['an absolute path', 'in//etc/evil.txt'],
  ['backslashes', 'in/..\\..\\evil.txt'],
  ['a drive letter', 'in/C:/evil.txt'],
  ['a NUL character', 'in/evil\u0000.txt'],
  ['an escape character', 'in/evil\u001b[31m.txt'],
  ['a name of 1,100 characters', `in/${'d/'.repeat(540)}evil.txt`],
  ['a file name of 300 characters', `in/${'e'.repeat(300)}.txt`],
  ['"." as a folder', 'in/./evil.txt'],
];

describe('bad input: service answers (azml against a loopback stub of Azure ML and Storage)', function () {
  this.timeout(60_000);
  let stub: StubServer;
  let dataDir: string;
  let work: string;
  const target = (): string[] => ['--local', '--data', dataDir];

  before(async () => {
    stub = await StubServer.start();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'azml-bad-stub-'));
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-bad-answers-'));
    const connection: LocalWorkspaceConnection = {
      ready: true, pid: process.pid, armEndpoint: stub.url,
      blobEndpoint: `${stub.url}/devstoreaccount1`, fileEndpoint: `${stub.url}/devstoreaccount1`, queueEndpoint: `${stub.url}/devstoreaccount1`,
      tenantId: '00000000-0000-0000-0000-000000000001', subscriptionId, resourceGroup, workspace: workspaceName,
      location: 'local', storageAccount: 'devstoreaccount1', token: 'stub-token',
    };
    writeFileSync(path.join(dataDir, discoveryFileName), JSON.stringify(connection), { mode: 0o600 });
  });
  after(async () => {
    await stub?.close();
    for (const dir of [dataDir, work]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('lists: permissions and malformed answers', () => {
    for (const c of listCases) {
      it(`${c.command}: ${c.name}`, async () => {
        stub.answer(() => c.answer);
        assertRefused(await azmlAsync([c.command, ...target()], { cwd: work }), c.says);
      });
    }
  });

  describe('download: permissions and malformed answers', () => {
    for (const [index, c] of downloadCases.entries()) {
      it(c.name, async () => {
        stub.answer(storageHandler(c.options));
        const to = path.join(work, `answers-${index}`);
        assertRefused(await azmlAsync(['download', '--datastore', 'files', '--path', 'in', '--to', to, ...target()], { cwd: work }), c.says);
        assert.deepEqual(treeOf(to).filter((p) => !p.endsWith('/')), [], 'no file downloaded from a broken answer');
      });
    }
  });

  describe('download: remote names that would land outside the folder', () => {
    for (const [index, [label, name]] of remoteNames.entries()) {
      it(`refuses ${label}, downloads the rest, and says so`, async () => {
        stub.answer(storageHandler({ listing: { status: 200, body: blobListXml(['in/good.txt', name]), headers: { 'content-type': 'application/xml' } } }));
        const place = path.join(work, `names-${index}`);
        const to = path.join(place, 'to');
        const result = await azmlAsync(['download', '--datastore', 'files', '--path', 'in', '--to', to, ...target()], { cwd: work });
        assertRefused(result, /1 remote name was refused \(.+\); the other files were downloaded\. Rename it in the datastore to download it/);
        assert.deepEqual(treeOf(place), ['to/', 'to/good.txt 4'], `only the good file, inside --to\n${result.stdout}`);
        assert.ok(!existsSync('/etc/evil.txt') && !existsSync(path.join(work, 'evil.txt')));
      });
    }
  });
});
