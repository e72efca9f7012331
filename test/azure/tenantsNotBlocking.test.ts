import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { localCloud, type Cloud } from '../../src/azure/cloud';
import { createFixedTokenCredential } from '../../src/azure/credentials';
import { defaultNetworkSettings } from '../../src/azure/networkSettings';
import { listSubscriptionsAcrossTenants, type SubscriptionsAcrossTenants } from '../../src/azure/subscriptionsAcrossTenants';
import { useNetworkSettings } from '../../src/azure/transport';

/**
 * A loopback Resource Manager with two tenants. Tenant "fast" answers at once; tenant "slow"
 * holds its subscription listing open until the test answers it (or never does).
 */
class TwoTenantArm {
  private held: http.ServerResponse[] = [];
  private onHeld: () => void = () => undefined;
  private readonly server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://arm');
    const answer = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/tenants') {
      answer(200, { value: [
        { tenantId: 'fast', displayName: 'Fast tenant' },
        { tenantId: 'slow', displayName: 'Slow tenant' },
      ] });
    } else if (url.pathname === '/subscriptions' && request.headers.authorization === 'Bearer fast') {
      answer(200, { value: [{ subscriptionId: 'sub-fast', displayName: 'Fast subscription', tenantId: 'fast', state: 'Enabled' }] });
    } else if (url.pathname === '/subscriptions') {
      this.held.push(response);
      this.onHeld();
    } else {
      answer(404, { error: { code: 'NotFound', message: url.pathname } });
    }
  });
  url = '';

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get cloud(): Cloud {
    return localCloud({ armEndpoint: this.url, blobEndpoint: this.url, fileEndpoint: this.url, queueEndpoint: this.url });
  }

  /** Resolves once the slow tenant's listing is being held. */
  heldListing(): Promise<void> {
    return this.held.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => {
      this.onHeld = resolve;
    });
  }

  /** Answers the slow tenant's held listing. */
  release(status: number, body: unknown): void {
    for (const response of this.held) response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    this.held = [];
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('subscriptions across tenants: a slow or failing tenant holds up no other', () => {
  let arm: TwoTenantArm;
  beforeEach(async () => {
    arm = new TwoTenantArm();
    await arm.start();
  });
  afterEach(async () => {
    useNetworkSettings(defaultNetworkSettings);
    await arm.close();
  });

  const list = (onProgress: (listing: SubscriptionsAcrossTenants) => void): Promise<SubscriptionsAcrossTenants> =>
    listSubscriptionsAcrossTenants(arm.cloud, createFixedTokenCredential('home'), (tenantId) => createFixedTokenCredential(tenantId), onProgress);

  it('shows the answering tenant\'s subscriptions while another is still loading, then the other\'s failure', async () => {
    const progress: SubscriptionsAcrossTenants[] = [];
    let fastShown: () => void = () => undefined;
    const fastListed = new Promise<void>((resolve) => {
      fastShown = resolve;
    });
    const complete = list((listing) => {
      progress.push(listing);
      if (listing.subscriptions.length > 0) fastShown();
    });
    await Promise.all([fastListed, arm.heldListing()]);
    const partial = progress.at(-1)!;
    assert.deepEqual(partial.subscriptions.map((s) => s.subscriptionId), ['sub-fast']);
    assert.deepEqual(partial.loading.map((t) => t.tenantId), ['slow']);
    assert.deepEqual(partial.failures, []);

    arm.release(403, { error: { code: 'AuthorizationFailed', message: 'Conditional access blocks this tenant.' } });
    const done = await complete;
    assert.deepEqual(done.subscriptions.map((s) => s.subscriptionId), ['sub-fast']);
    assert.deepEqual(done.loading, []);
    assert.deepEqual(done.failures.map((f) => [f.tenant.tenantId, f.error.code]), [['slow', 'AuthorizationFailed']]);
  });

  it('a tenant that never answers fails on its own after the timeout, naming the service', async () => {
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 5_000, transfer: 5_000 } });
    const done = await list(() => undefined);
    assert.deepEqual(done.subscriptions.map((s) => s.subscriptionId), ['sub-fast']);
    assert.equal(done.failures.length, 1);
    assert.equal(done.failures[0]!.tenant.tenantId, 'slow');
    assert.equal(done.failures[0]!.error.code, 'ServiceNotAnswering');
    assert.match(done.failures[0]!.error.message, /^Azure Resource Manager \(127\.0\.0\.1:\d+\) stopped answering/);
  });
});
