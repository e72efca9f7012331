/**
 * A 429/503 from Resource Manager or Azure ML that asks to wait longer than a minute fails at
 * once, saying how long the service asks to wait, rather than the SDK's retry waiting an hour.
 */
import { strict as assert } from 'node:assert';
import { messageWithAdvice } from '../../src/azure/errors';
import { ResourceManagerClient } from '../../src/azure/resourceManagerClient';
import { rejection } from '../support/rejection';
import { loadFixture, StubServer, stubCloud, stubCredential, workspaceClientFor, type Fixture } from './stubServer';

describe('a Retry-After longer than a minute (ARM / Azure ML)', function () {
  // Before the fix, each of these waited the hour the service asked for.
  this.timeout(10_000);
  let stub: StubServer;
  let fixture: Fixture;
  let abort: AbortController;
  before(async () => {
    stub = await StubServer.start();
    fixture = await loadFixture('Datastore__get');
  });
  beforeEach(() => {
    abort = new AbortController();
  });
  afterEach(() => {
    abort.abort();
  });
  after(async () => {
    await stub.close();
  });

  const throttled = { code: 'TooManyRequests', message: 'Rate limit exceeded.' };

  it('a 429 with Retry-After: 3600 fails at once, saying to wait 60 minutes and try again later', async () => {
    stub.answer(() => ({ status: 429, body: { error: throttled }, headers: { 'Retry-After': '3600' } }));
    const started = Date.now();
    const error = await rejection(new ResourceManagerClient(stubCloud(stub), stubCredential()).listSubscriptions({ abortSignal: abort.signal }));
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    assert.equal(error.status, 429);
    assert.equal(error.code, 'RetryAfterTooLong');
    assert.match(error.message, /asks to wait 60 minutes/);
    assert.match(error.message, /try again later\.$/);
    assert.equal(stub.requests.length, 1, 'not sent again');
    // No advice to "wait a minute" after a message that says an hour.
    assert.equal(messageWithAdvice(error), error.message);
  });

  it('an SDK call (datastore get) fails the same way', async () => {
    stub.answer(() => ({ status: 429, body: { error: throttled }, headers: { 'Retry-After': '3600' } }));
    const error = await rejection(workspaceClientFor(stub, fixture).datastores.get('x'));
    assert.equal(error.code, 'RetryAfterTooLong');
    assert.match(error.message, /asks to wait 60 minutes/);
    assert.equal(stub.requests.length, 1);
  });

  it('a 503 with x-ms-retry-after-ms or an HTTP date counts as well', async () => {
    const arm = new ResourceManagerClient(stubCloud(stub), stubCredential());
    stub.answer(() => ({ status: 503, body: { error: throttled }, headers: { 'x-ms-retry-after-ms': '120000' } }));
    let error = await rejection(arm.listSubscriptions({ abortSignal: abort.signal }));
    assert.deepEqual([error.status, error.code], [503, 'RetryAfterTooLong']);
    assert.match(error.message, /asks to wait 2 minutes/);

    stub.answer(() => ({ status: 503, body: { error: throttled }, headers: { 'Retry-After': new Date(Date.now() + 10 * 60_000).toUTCString() } }));
    error = await rejection(arm.listSubscriptions({ abortSignal: abort.signal }));
    assert.equal(error.code, 'RetryAfterTooLong');
    assert.match(error.message, /asks to wait (10|11) minutes/);
  });

  it('a short Retry-After is still waited for and the request sent again', async () => {
    let calls = 0;
    stub.answer(() => (++calls === 1
      ? { status: 429, body: { error: throttled }, headers: { 'Retry-After': '1' } }
      : { status: 200, body: { value: [] } }));
    const page = await new ResourceManagerClient(stubCloud(stub), stubCredential()).listSubscriptions({ abortSignal: abort.signal });
    assert.deepEqual(page.items, []);
    assert.equal(stub.requests.length, 2);
  });
});
