import { strict as assert } from 'node:assert';
import { messageWithAdvice } from '../../src/azure/errors';
import { ResourceManagerClient } from '../../src/azure/resourceManagerClient';
import { loadFixture, StubServer, stubCloud, stubCredential, workspaceClientFor, type Fixture } from './stubServer';
import { rejection } from '../support/rejection';


describe('service errors reach callers as AzureMlError', () => {
  let stub: StubServer;
  let fixture: Fixture;
  before(async () => {
    stub = await StubServer.start();
    fixture = await loadFixture('Datastore__get');
  });
  after(async () => {
    await stub.close();
  });

  const errorBody = (code: string, message: string, target?: string) => ({ error: { code, message, ...(target ? { target } : {}) } });

  it('404 from an SDK call', async () => {
    stub.answer(() => ({ status: 404, body: errorBody('ResourceNotFound', "Datastore 'missing' was not found.") }));
    const error = await rejection(workspaceClientFor(stub, fixture).datastores.get('missing'));
    assert.equal(error.status, 404);
    assert.equal(error.code, 'ResourceNotFound');
    assert.equal(error.message, "Datastore 'missing' was not found.");
    assert.ok(error.isNotFound);
  });

  it('400 from an SDK call keeps the code, message and target', async () => {
    stub.answer(() => ({ status: 400, body: errorBody('UserError', 'accountName is required.', 'accountName') }));
    const error = await rejection(workspaceClientFor(stub, fixture).datastores.createOrUpdate({
      name: 'bad', datastoreType: 'AzureBlob', accountName: '', containerName: 'c', credentials: { credentialsType: 'None' },
    }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'UserError');
    assert.equal(error.message, 'accountName is required.');
    assert.equal(error.target, 'accountName');
  });

  it('409 from an SDK call', async () => {
    stub.answer(() => ({ status: 409, body: errorBody('Conflict', 'Model version m:1 already exists and cannot be changed.') }));
    const error = await rejection(workspaceClientFor(stub, fixture).models.createOrUpdateVersion('m', '1', { modelUri: 'azureml://x' }));
    assert.equal(error.status, 409);
    assert.equal(error.code, 'Conflict');
    assert.match(error.message, /already exists/);
  });

  it('404 and 400 from raw calls (code hash lookup, pending upload, job submit)', async () => {
    const client = workspaceClientFor(stub, fixture);
    stub.answer(() => ({ status: 404, body: errorBody('ResourceNotFound', 'No such code version.') }));
    let error = await rejection(client.codes.startPendingUpload('c', '1'));
    assert.deepEqual([error.status, error.code, error.message], [404, 'ResourceNotFound', 'No such code version.']);
    error = await rejection(client.codes.findVersionByHash('c', 'ab'.repeat(32)));
    assert.equal(error.status, 404);

    stub.answer(() => ({ status: 400, body: errorBody('UserError', 'environmentId is required.', 'environmentId') }));
    error = await rejection(client.jobs.createCommandJob({ name: 'j1', command: 'echo', environmentId: '' }));
    assert.deepEqual([error.status, error.code, error.message, error.target], [400, 'UserError', 'environmentId is required.', 'environmentId']);
  });

  it('a body that is not JSON still gives status and a code', async () => {
    stub.answer(() => ({ status: 404, body: 'Not Found' }));
    const client = workspaceClientFor(stub, fixture);
    let error = await rejection(client.datastores.get('x'));
    assert.deepEqual([error.status, error.code], [404, 'NotFound']);
    error = await rejection(client.codes.startPendingUpload('c', '1'));
    assert.deepEqual([error.status, error.code, error.message], [404, 'NotFound', 'Not Found']);

    stub.answer(() => ({ status: 403, body: '<html>Forbidden by gateway</html>', headers: { 'content-type': 'application/json' } }));
    error = await rejection(client.datastores.get('x'));
    assert.deepEqual([error.status, error.code], [403, 'Forbidden']);
  });

  it('401 without a body', async () => {
    stub.answer(() => ({ status: 401 }));
    const error = await rejection(workspaceClientFor(stub, fixture).computes.list());
    assert.equal(error.status, 401);
    assert.ok(error.isUnauthorized);
  });

  it('masks secrets the service echoes in a message', async () => {
    const message = 'Cannot reach storage with DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=c2VjcmV0a2V5LXZhbHVl; ' +
      'nor with https://st1.blob.core.windows.net/data?sv=2024-05-04&sp=r&sig=SIGNATURESECRET123';
    stub.answer(() => ({ status: 400, body: errorBody('UserError', message) }));
    const client = workspaceClientFor(stub, fixture);
    for (const call of [client.datastores.get('x'), client.codes.startPendingUpload('c', '1')]) {
      const error = await rejection(call);
      for (const text of [error.message, String(error), error.stack ?? '']) {
        assert.ok(!text.includes('c2VjcmV0a2V5LXZhbHVl'), 'account key masked');
        assert.ok(!text.includes('SIGNATURESECRET123'), 'SAS signature masked');
      }
      assert.match(error.message, /AccountKey=\*\*\*/);
      assert.match(error.message, /sig=\*\*\*/);
    }
  });

  describe('an error page in HTML (a proxy or gateway answering) is not the message', () => {
    const page = (title: string | undefined, text = 'The request was blocked by your network administrator.'): string => ['<!DOCTYPE html>', '<html>', '<head>',
      ...(title === undefined ? [] : [`<title>${title}</title>`]), '<style>body { font-family: sans-serif; }</style>', '</head>',
      `<body><h1>Sorry</h1><p>${text}</p></body>`, '</html>', ''].join('\n');
    const html = (status: number, title?: string) => () => ({ status, body: page(title), headers: { 'content-type': 'text/html; charset=utf-8' } });
    const longText = 'Your request was blocked. '.repeat(8);

    it('a 403 page: "The service answered 403" with its title, and the advice for a 403', async () => {
      stub.answer(html(403, 'Access Denied &amp; Logged'));
      const client = workspaceClientFor(stub, fixture);
      const calls = [() => client.datastores.get('x'), () => client.codes.startPendingUpload('c', '1'),
        () => new ResourceManagerClient(stubCloud(stub), stubCredential()).listSubscriptions()];
      for (const call of calls) {
        const error = await rejection(call());
        assert.deepEqual([error.status, error.code], [403, 'Forbidden']);
        assert.equal(error.message, 'The service answered 403 with a page titled "Access Denied & Logged".');
        assert.match(messageWithAdvice(error), /^The service answered 403 with a page titled "Access Denied & Logged"\. Ask an owner of the workspace for a role/);
      }
    });

    it('a 502 page without a title: its text when short, else only the status; and the advice for a 5xx', async function () {
      this.timeout(30_000); // a 502 is tried four times, a few seconds apart
      const client = workspaceClientFor(stub, fixture);
      stub.answer(() => ({ status: 502, body: page(undefined, longText), headers: { 'content-type': 'text/html' } }));
      let error = await rejection(client.datastores.get('x'));
      assert.deepEqual([error.status, error.message], [502, 'The service answered 502.']);
      assert.equal(messageWithAdvice(error), 'The service answered 502. The service had a problem: try again in a few minutes.');
      // 501: not tried again.
      stub.answer(() => ({ status: 501, body: page(undefined), headers: { 'content-type': 'text/html' } }));
      error = await rejection(client.codes.startPendingUpload('c', '1'));
      assert.deepEqual([error.status, error.message], [501, 'The service answered 501 with a page saying "Sorry The request was blocked by your network administrator.".']);
      stub.answer(() => ({ status: 501, body: '<html><body>Forbidden</body></html>', headers: { 'content-type': 'text/html' } }));
      error = await rejection(client.datastores.get('x'));
      assert.deepEqual([error.status, error.message], [501, 'The service answered 501 with a page saying "Forbidden".']);
    });

    it('a text of several lines that is not JSON: only the status', async () => {
      const client = workspaceClientFor(stub, fixture);
      stub.answer(() => ({ status: 501, body: 'Not Implemented\nupstream: 10.0.0.7:443\nrequest id: 1234\n' }));
      const error = await rejection(client.codes.startPendingUpload('c', '1'));
      assert.deepEqual([error.status, error.message], [501, 'The service answered 501.']);
    });

    it('a JSON error and a one-line text are kept as they are', async () => {
      const client = workspaceClientFor(stub, fixture);
      stub.answer(() => ({ status: 403, body: { error: { code: 'AuthorizationFailed', message: 'No <b>access</b>.' } } }));
      assert.equal((await rejection(client.datastores.get('x'))).message, 'No <b>access</b>.');
      stub.answer(() => ({ status: 400, body: 'Request header too large' }));
      assert.equal((await rejection(client.codes.startPendingUpload('c', '1'))).message, 'Request header too large');
    });
  });
});
