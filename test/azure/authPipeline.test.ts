import { strict as assert } from 'node:assert';
import { bearerTokenAuthenticationPolicyName } from '@azure/core-rest-pipeline';
import { azurePublicCloud, type Cloud } from '../../src/azure/cloud';
import { loopbackBearerTokenPolicyName } from '../../src/azure/loopbackAuthPolicy';
import { createMachineLearningClient } from '../../src/azure/mlServiceClient';
import { WorkspaceClient } from '../../src/azure/workspaceClient';
import {
  loadFixture, StubServer, stubCredential, testToken, workspaceClientFor, type Fixture,
} from './stubServer';
import { rejection } from '../support/rejection';


describe('authentication per cloud', () => {
  let stub: StubServer;
  let fixture: Fixture;
  before(async () => {
    stub = await StubServer.start();
    fixture = await loadFixture('Datastore__list');
  });
  after(async () => {
    await stub.close();
  });

  describe('local workspace (plain-HTTP loopback)', () => {
    it('sends the bearer token over plain HTTP to 127.0.0.1, for SDK and raw calls', async () => {
      stub.answer(() => ({ status: 200, body: { value: [] } }));
      const client = workspaceClientFor(stub, fixture);
      await client.datastores.list();
      assert.equal(stub.lastRequest.headers.authorization, `Bearer ${testToken}`);
      assert.equal(await client.codes.findVersionByHash('c', 'ab'), undefined);
      assert.equal(stub.lastRequest.headers.authorization, `Bearer ${testToken}`);
    });

    it('refuses a continuation token that points off the machine, before sending anything', async () => {
      stub.answer(() => ({ status: 200, body: { value: [] } }));
      const client = workspaceClientFor(stub, fixture);
      for (const token of ['https://attacker.example/steal?api-version=1', 'http://10.0.0.1/x?api-version=1']) {
        const error = await rejection(client.datastores.list({ continuationToken: token }));
        assert.equal(error.code, 'NonLoopbackUrl');
      }
      assert.equal(stub.requests.length, 0);
    });

    it('does not follow a redirect off the machine', async () => {
      stub.answer(() => ({ status: 307, headers: { location: 'http://attacker.invalid/steal' } }));
      const error = await rejection(workspaceClientFor(stub, fixture).datastores.get('x'));
      assert.equal(error.status, 307);
      assert.equal(stub.requests.length, 1);
      assert.ok(!error.message.includes(testToken));
    });

    it('swaps the SDK bearer policy for the loopback one', () => {
      const client = createMachineLearningClient(
        { ...azurePublicCloud, name: 'local', allowsPlainHttpLoopback: true, resourceManagerEndpoint: stub.url },
        stubCredential(), 's');
      const names = client.pipeline.getOrderedPolicies().map((p) => p.name);
      assert.ok(names.includes(loopbackBearerTokenPolicyName));
      assert.ok(!names.includes(bearerTokenAuthenticationPolicyName));
    });
  });

  describe('Azure clouds', () => {
    it('keep the SDK bearer policy', () => {
      const names = createMachineLearningClient(azurePublicCloud, stubCredential(), 's').pipeline.getOrderedPolicies().map((p) => p.name);
      assert.ok(names.includes(bearerTokenAuthenticationPolicyName));
      assert.ok(!names.includes(loopbackBearerTokenPolicyName));
    });

    it('never send a token over plain HTTP, even to loopback', async () => {
      stub.answer(() => ({ status: 200, body: { value: [] } }));
      const cloud: Cloud = { ...azurePublicCloud, resourceManagerEndpoint: stub.url };
      const client = new WorkspaceClient({
        cloud, credential: stubCredential(), subscriptionId: 's', resourceGroup: 'rg', workspaceName: 'ws',
      });
      const error = await rejection(client.datastores.list());
      assert.match(error.message, /non-TLS|https/i);
      assert.equal(stub.requests.length, 0);
    });
  });
});

describe('job cancel', () => {
  let stub: StubServer;
  let fixture: Fixture;
  before(async () => {
    stub = await StubServer.start();
    fixture = await loadFixture('Job__CommandJob__list');
  });
  after(async () => {
    await stub.close();
  });

  it('200: canceled at once', async () => {
    stub.answer(() => ({ status: 200 }));
    const result = await workspaceClientFor(stub, fixture).jobs.cancel('job-1');
    assert.deepEqual(result, { completed: true });
    assert.equal(stub.lastRequest.method, 'POST');
    assert.match(stub.lastRequest.pathname, /\/jobs\/job-1\/cancel$/);
  });

  it('202 + Location: returns without polling', async () => {
    stub.answer((_request, base) => ({ status: 202, headers: { location: `${base}/operations/op1`, 'retry-after': '10' } }));
    const started = Date.now();
    const result = await workspaceClientFor(stub, fixture).jobs.cancel('job-2');
    assert.deepEqual(result, { completed: false });
    assert.equal(stub.requests.length, 1, 'did not poll the Location');
    assert.ok(Date.now() - started < 2000);
  });

  it('404: an AzureMlError', async () => {
    stub.answer(() => ({ status: 404, body: { error: { code: 'ResourceNotFound', message: 'No job named nope.' } } }));
    const error = await rejection(workspaceClientFor(stub, fixture).jobs.cancel('nope'));
    assert.deepEqual([error.status, error.code], [404, 'ResourceNotFound']);
  });
});
