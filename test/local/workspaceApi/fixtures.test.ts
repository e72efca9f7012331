import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startHarness, ws, type Harness, type Json, type Reply } from './harness';

/** Request/response examples of the real REST spec, read where they live (never copied). */
const repoRoot = path.resolve(__dirname, '../../..');
const fixturesDir = path.resolve(repoRoot, '../shared/fixtures/azureml-rest-examples');

interface Fixture {
  parameters: Record<string, Json> & { body?: Json };
  responses: Record<string, { body?: Json }>;
}

function load(file: string): Fixture {
  return JSON.parse(readFileSync(path.join(fixturesDir, file), 'utf8')) as Fixture;
}

/** Every key of `expected` must be in `actual`; descends into the objects named in `into` (all when undefined). */
function assertKeys(expected: Json, actual: Json, where: string, into?: readonly string[], ignore: readonly string[] = []): void {
  assert.ok(actual && typeof actual === 'object', `${where}: expected an object, got ${JSON.stringify(actual)}`);
  for (const key of Object.keys(expected)) {
    if (ignore.includes(key)) continue;
    assert.ok(key in actual, `${where}: key '${key}' missing (have ${Object.keys(actual).join(', ')})`);
    const value = expected[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && (into === undefined || into.includes(key))) {
      assertKeys(value, actual[key], `${where}.${key}`, into === undefined ? undefined : [], ignore);
    }
  }
}

/** Same shape as an ARM resource example: top level, properties and systemData keys. */
function assertResourceShape(expected: Json, actual: Json, where: string, ignore: readonly string[] = []): void {
  assertKeys(expected, actual, where, ['properties', 'systemData'], ignore);
}

function assertNoSecretValues(resource: Json): void {
  const secrets = resource?.properties?.credentials?.secrets;
  if (secrets) assert.deepEqual(Object.keys(secrets), ['secretsType'], 'secret values must not be returned');
}

function statusesOf(fixture: Fixture): number[] {
  return Object.keys(fixture.responses).map(Number);
}

type Scenario = (h: Harness, fixture: Fixture, file: string) => Promise<void>;

function query(fixture: Fixture): string {
  return `api-version=${fixture.parameters['api-version']}`;
}

/** PUT the example body twice: 201 with the 201 shape, then 200 with the 200 shape. */
function createOrUpdate(pathOf: (p: Fixture['parameters']) => string, adapt?: (body: Json, h: Harness) => Promise<Json>): Scenario {
  return async (h, fixture, file) => {
    let body = structuredClone(fixture.parameters.body);
    if (adapt) body = await adapt(body, h);
    const url = `${pathOf(fixture.parameters)}?${query(fixture)}`;
    for (const status of [201, 200]) {
      const reply = await h.call('PUT', url, body);
      assert.equal(reply.status, status, `${file}: ${reply.text}`);
      assertResourceShape(fixture.responses[String(status)]!.body, reply.body, `${file} ${status}`);
      assertNoSecretValues(reply.body);
    }
  };
}

async function get(h: Harness, url: string, file: string): Promise<Reply> {
  const reply = await h.call('GET', url);
  assert.equal(reply.status, 200, `${file}: ${reply.text}`);
  return reply;
}

/** The job example's codeId and computeId are placeholders: point them at a real code version and the local compute. */
async function adaptJobBody(body: Json, h: Harness): Promise<Json> {
  const code = await h.call('PUT', `${ws}/codes/fixture-code/versions/1?api-version=2024-10-01`, { properties: { codeUri: 'http://127.0.0.1:9/c/src' } });
  body.properties.codeId = code.body.id;
  body.properties.computeId = `${ws}/computes/local`;
  return body;
}

const blobDatastoreBody = () => load('Datastore__AzureBlobWAccountKey__createOrUpdate.json').parameters.body;

const scenarios: Record<string, Scenario> = {
  'Datastore__AzureBlobWAccountKey__createOrUpdate.json': createOrUpdate((p) => `${ws}/datastores/${p['name']}`),
  'Datastore__AzureFileWAccountKey__createOrUpdate.json': createOrUpdate((p) => `${ws}/datastores/${p['name']}`),
  'Datastore__AzureDataLakeGen1WServicePrincipal__createOrUpdate.json': createOrUpdate((p) => `${ws}/datastores/${p['name']}`),
  'Datastore__AzureDataLakeGen2WServicePrincipal__createOrUpdate.json': createOrUpdate((p) => `${ws}/datastores/${p['name']}`),
  'Job__CommandJob__createOrUpdate.json': createOrUpdate((p) => `${ws}/jobs/${p['id']}`, adaptJobBody),
  'Workspace__CodeVersion__createOrGetStartPendingUpload.json': async (h, fixture, file) => {
    const p = fixture.parameters;
    const reply = await h.call('POST', `${ws}/codes/${p['name']}/versions/${p['version']}/startPendingUpload?${query(fixture)}`, p.body);
    assert.equal(reply.status, 200, reply.text);
    assertKeys(fixture.responses['200']!.body, reply.body, file);
    assert.equal(reply.body.pendingUploadId, p.body.pendingUploadId);
    assert.equal(reply.body.pendingUploadType, p.body.pendingUploadType);
  },
  'Datastore__get.json': async (h, fixture, file) => {
    await h.call('PUT', `${ws}/datastores/${fixture.parameters['name']}?${query(fixture)}`, blobDatastoreBody());
    const reply = await get(h, `${ws}/datastores/${fixture.parameters['name']}?${query(fixture)}`, file);
    assertResourceShape(fixture.responses['200']!.body, reply.body, file);
    assertNoSecretValues(reply.body);
  },
  'Datastore__list.json': async (h, fixture, file) => {
    await h.call('PUT', `${ws}/datastores/extra?${query(fixture)}`, blobDatastoreBody());
    const reply = await get(h, `${ws}/datastores?${query(fixture)}&count=1&isDefault=false`, file);
    assertKeys(fixture.responses['200']!.body, reply.body, file, [], []);
    assertResourceShape(fixture.responses['200']!.body.value[0], reply.body.value[0], `${file} value[0]`);
    assert.ok(reply.body.nextLink, 'count=1 leaves more pages');
    reply.body.value.forEach(assertNoSecretValues);
  },
  'Datastore__listSecrets.json': async (h, fixture, file) => {
    const reply = await h.call('POST', `${ws}/datastores/workspaceblobstore/listSecrets?${query(fixture)}`);
    assert.equal(reply.status, 200, reply.text);
    assertKeys(fixture.responses['200']!.body, reply.body, file);
    assert.equal(reply.body.secretsType, 'AccountKey');
  },
  'Datastore__delete.json': async (h, fixture, file) => {
    await h.call('PUT', `${ws}/datastores/${fixture.parameters['name']}?${query(fixture)}`, blobDatastoreBody());
    const first = await h.call('DELETE', `${ws}/datastores/${fixture.parameters['name']}?${query(fixture)}`);
    const second = await h.call('DELETE', `${ws}/datastores/${fixture.parameters['name']}?${query(fixture)}`);
    assert.ok(statusesOf(fixture).includes(first.status), `${file}: ${first.status}`);
    assert.ok(statusesOf(fixture).includes(second.status), `${file}: ${second.status}`);
  },
  'Job__CommandJob__list.json': async (h, fixture, file) => {
    const body = await adaptJobBody(structuredClone(load('Job__CommandJob__createOrUpdate.json').parameters.body), h);
    assert.equal((await h.call('PUT', `${ws}/jobs/listed?${query(fixture)}`, body)).status, 201);
    const reply = await get(h, `${ws}/jobs?${query(fixture)}&jobType=Command`, file);
    assertKeys(fixture.responses['200']!.body, reply.body, file, [], ['nextLink']);
    assertResourceShape(fixture.responses['200']!.body.value[0], reply.body.value[0], `${file} value[0]`);
  },
  'Workspace__ModelContainer__list.json': async (h, fixture, file) => {
    await h.call('PUT', `${ws}/models/${fixture.parameters['name']}?${query(fixture)}`, { properties: { description: 'd', tags: { a: 'b' } } });
    const reply = await get(h, `${ws}/models?${query(fixture)}`, file);
    assertKeys(fixture.responses['200']!.body, reply.body, file, [], ['nextLink']);
    assertResourceShape(fixture.responses['200']!.body.value[0], reply.body.value[0], `${file} value[0]`);
    assert.equal(reply.body.value[0].type, fixture.responses['200']!.body.value[0].type);
  },
  'Workspace__ModelVersion__get.json': async (h, fixture, file) => {
    const { name, version } = fixture.parameters;
    const expected = fixture.responses['200']!.body;
    await h.call('PUT', `${ws}/models/${name}/versions/${version}?${query(fixture)}`, {
      properties: { ...expected.properties, modelUri: 'azureml://datastores/workspaceblobstore/paths/m/' },
    });
    const reply = await get(h, `${ws}/models/${name}/versions/${version}?${query(fixture)}`, file);
    assertResourceShape(expected, reply.body, file);
  },
  'Compute__list.json': async (h, fixture, file) => {
    const reply = await get(h, `${ws}/computes?${query(fixture)}`, file);
    assertKeys(fixture.responses['200']!.body, reply.body, file, [], ['nextLink']);
    assertResourceShape(fixture.responses['200']!.body.value[0], reply.body.value[0], `${file} value[0]`);
  },
  'Workspace__get.json': async (h, fixture, file) => {
    const reply = await get(h, `${ws}?${query(fixture)}`, file);
    // No customer-managed keys locally, so no `encryption` block.
    assertResourceShape(fixture.responses['200']!.body, reply.body, file, ['encryption']);
    assert.equal(reply.body.type, fixture.responses['200']!.body.type);
  },
};

describe('workspace API: answers like the REST spec examples', () => {
  const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json')).sort();
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('has a scenario for every example (new examples must not be skipped silently)', () => {
    assert.ok(files.length > 0, `no examples in ${fixturesDir}`);
    assert.deepEqual(files.filter((f) => !(f in scenarios)), []);
  });

  for (const file of files) {
    const fixture = load(file);
    const hasBody = fixture.parameters.body !== undefined;
    it(`${hasBody ? 'accepts the example request of' : 'answers in the shape of'} ${file}`, async () => {
      const scenario = scenarios[file];
      assert.ok(scenario, `no scenario for ${file}`);
      await scenario(h, fixture, file);
    });
  }
});
