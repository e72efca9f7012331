import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { localCloud } from '../../src/azure/cloud';
import { createLocalWorkspaceCredential } from '../../src/azure/credentials';
import { listSubscriptionsAcrossTenants } from '../../src/azure/subscriptionsAcrossTenants';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

describe('subscriptions across tenants (against the local workspace service)', () => {
  let local: StartedLocalWorkspace;
  before(async () => {
    local = await startLocalWorkspace();
  });
  after(async () => {
    await local?.dispose();
  });

  it('lists the subscriptions of every tenant the account reaches', async () => {
    const cloud = localCloud(local.connection);
    const credential = createLocalWorkspaceCredential(local.connection);
    const result = await listSubscriptionsAcrossTenants(cloud, credential, () => credential);
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.subscriptions.map((s) => s.subscriptionId), [local.connection.subscriptionId]);
    assert.equal(result.subscriptions[0]!.tenantId, local.connection.tenantId);
  });

  it('reports a tenant whose token is refused, with the service\'s status', async () => {
    const cloud = localCloud(local.connection);
    const home = createLocalWorkspaceCredential(local.connection);
    const refused: TokenCredential = createLocalWorkspaceCredential({ token: 'not-the-token' });
    const result = await listSubscriptionsAcrossTenants(cloud, home, () => refused);
    assert.deepEqual(result.subscriptions, []);
    assert.equal(result.failures.length, 1);
    assert.equal(result.failures[0]!.tenant.tenantId, local.connection.tenantId);
    assert.equal(result.failures[0]!.error.status, 401);
  });
});
