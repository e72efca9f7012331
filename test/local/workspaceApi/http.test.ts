import * as assert from 'node:assert/strict';
import { apiVersion, resourceGroup, startHarness, subscriptionId, token, ws, type Harness } from './harness';

describe('workspace API: HTTP conventions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('answers 401 AuthenticationFailed without a token and with a wrong one', async () => {
    const none = await fetch(`${h.base}${ws}/datastores?${apiVersion}`);
    assert.equal(none.status, 401);
    const noneBody = (await none.json()) as { error: { code: string; message: string } };
    assert.equal(noneBody.error.code, 'AuthenticationFailed');
    assert.match(noneBody.error.message, /bearer token/i);

    const wrong = await h.call('GET', `${ws}/datastores?${apiVersion}`, undefined, { authorization: 'Bearer not-the-token' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'AuthenticationFailed');
    assert.ok(!wrong.text.includes(token), 'the expected token must not leak into the answer');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('requires api-version on ARM paths and accepts any YYYY-MM-DD[-preview]', async () => {
    const missing = await h.call('GET', `${ws}/datastores`);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'MissingApiVersionParameter');
    const invalid = await h.call('GET', `${ws}/datastores?api-version=latest`);
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error.code, 'InvalidApiVersionParameter');
    for (const version of ['2022-10-01', '2024-10-01', '2025-12-01', '2024-01-01-preview']) {
      assert.equal((await h.call('GET', `${ws}/datastores?api-version=${version}`)).status, 200, version);
    }
  });

  it('matches path segments case-insensitively, like ARM', async () => {
    const lower = ws.toLowerCase().replace('/workspaces/local', '/workspaces/LOCAL');
    const reply = await h.call('GET', `${lower}/DATASTORES/WorkspaceBlobStore?${apiVersion}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.name, 'workspaceblobstore');
  });

  it('answers 404 with an error body naming what was not found', async () => {
    const missingDatastore = await h.call('GET', `${ws}/datastores/nosuchstore?${apiVersion}`);
    assert.equal(missingDatastore.status, 404);
    assert.equal(missingDatastore.body.error.code, 'ResourceNotFound');
    assert.match(missingDatastore.body.error.message, /nosuchstore/);

    const missingWorkspace = await h.call('GET', `${ws.replace('/local', '/elsewhere')}/jobs?${apiVersion}`);
    assert.equal(missingWorkspace.status, 404);
    assert.match(missingWorkspace.body.error.message, /elsewhere/);

    const wrongGroup = await h.call('GET', `${ws.replace(resourceGroup, 'other-rg')}?${apiVersion}`);
    assert.equal(wrongGroup.status, 404);
    assert.equal(wrongGroup.body.error.code, 'ResourceGroupNotFound');

    const unknownPath = await h.call('GET', `/no/such/route?${apiVersion}`);
    assert.equal(unknownPath.status, 404);
    assert.ok(unknownPath.body.error.message);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const reply = await h.call('PATCH', `${ws}/datastores/workspaceblobstore?${apiVersion}`, {});
    assert.equal(reply.status, 405);
    assert.equal(reply.body.error.code, 'MethodNotAllowed');
    assert.match(reply.headers.get('allow') ?? '', /GET/);
    assert.match(reply.headers.get('allow') ?? '', /PUT/);
  });

  it('answers 400 for a body that is not JSON and 413 for a body over the limit', async () => {
    const bad = await h.call('PUT', `${ws}/datastores/ds1?${apiVersion}`, '{"properties":');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /not valid JSON/);

    const huge = JSON.stringify({ properties: { description: 'x'.repeat(5 * 1024 * 1024) } });
    const tooLarge = await h.call('PUT', `${ws}/codes/big?${apiVersion}`, huge);
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.body.error.code, 'RequestEntityTooLarge');
  });

  it('answers 400 (not 500) for a body nested deeper than 64 levels, and keeps answering', async () => {
    const nested = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    // The body itself, `properties` and `services` are 3 levels; ~3,000 more made structuredClone throw RangeError.
    const deep = `{"properties":{"jobType":"Command","command":"true","environmentId":"e","services":${nested(3000)}}}`;
    const reply = await h.call('PUT', `${ws}/jobs/deep_job?${apiVersion}`, deep);
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.body.error.code, 'UserError');
    assert.match(reply.body.error.message, /nested more than 64 levels deep/);
    assert.equal((await h.call('GET', `${ws}/jobs/deep_job?${apiVersion}`)).status, 404, 'no job was made');

    const deepArray = `${'['.repeat(65)}${']'.repeat(65)}`;
    const arrays = await h.call('PUT', `${ws}/datastores/deep?${apiVersion}`, deepArray);
    assert.equal(arrays.status, 400, 'arrays count as levels too');
    assert.match(arrays.body.error.message, /nested more than 64 levels deep/);
    const brackets = `{"properties":{"description":"${'[{'.repeat(500)}"}}`;
    const inString = await h.call('PUT', `${ws}/datastores/deep?${apiVersion}`, brackets);
    assert.doesNotMatch(inString.body.error?.message ?? '', /nested/, 'brackets inside a string are not nesting');

    const atLimit = `{"properties":{"jobType":"Command","command":"true","environmentId":"e","services":${nested(61)}}}`;
    const limitReply = await h.call('PUT', `${ws}/jobs/deep_job?${apiVersion}`, atLimit);
    assert.equal(limitReply.status, 201, limitReply.text);

    const after = await h.call('PUT', `${ws}/jobs/after_deep?${apiVersion}`, { properties: { jobType: 'Command', command: 'true', environmentId: 'e' } });
    assert.equal(after.status, 201, after.text);
  });

  it('serves the subscription and its resource group', async () => {
    const subs = await h.call('GET', '/subscriptions?api-version=2022-12-01');
    assert.equal(subs.status, 200);
    assert.deepEqual(subs.body.value.map((s: { subscriptionId: string }) => s.subscriptionId), [subscriptionId]);
    assert.equal(subs.body.value[0].state, 'Enabled');
    assert.equal(subs.body.value[0].id, `/subscriptions/${subscriptionId}`);
    assert.ok(subs.body.value[0].tenantId);

    const one = await h.call('GET', `/subscriptions/${subscriptionId}?api-version=2022-12-01`);
    assert.equal(one.body.displayName, 'Local subscription');
    assert.equal((await h.call('GET', '/subscriptions/99999999-0000-0000-0000-000000000000?api-version=2022-12-01')).status, 404);

    const groups = await h.call('GET', `/subscriptions/${subscriptionId}/resourcegroups?api-version=2021-04-01`);
    assert.equal(groups.status, 200);
    assert.deepEqual(groups.body.value.map((g: { name: string }) => g.name), [resourceGroup]);
    assert.equal(groups.body.value[0].type, 'Microsoft.Resources/resourceGroups');
    assert.equal(groups.body.value[0].properties.provisioningState, 'Succeeded');
  });
});
