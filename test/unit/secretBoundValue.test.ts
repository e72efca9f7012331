import { strict as assert } from 'node:assert';
import { secretExpiryMarginMs } from '../../src/azure/secretExpiry';
import { SecretBoundValue } from '../../src/core/secretBoundValue';

describe('a datastore\'s storage is built again before its secret expires', () => {
  const expiresAt = new Date('2026-03-26T20:00:00Z');

  it('shares one build while the secret is fresh, builds anew (asking for a new secret) once it is about to expire', async () => {
    let now = new Date('2026-03-26T19:00:00Z');
    let builds = 0;
    const storage = new SecretBoundValue(async () => ({ value: `storage ${++builds}`, expiresAt }), () => now);
    assert.deepEqual(await Promise.all([storage.get(), storage.get()]), ['storage 1', 'storage 1']);
    now = new Date(expiresAt.getTime() - secretExpiryMarginMs - 1000);
    assert.equal(await storage.get(), 'storage 1');
    now = new Date(expiresAt.getTime() - secretExpiryMarginMs + 1000);
    assert.equal(await storage.get(), 'storage 2');
    assert.equal(builds, 2);
  });

  it('a value without an expiry (identity-based access) is kept; a failed build is tried again', async () => {
    let builds = 0;
    const storage = new SecretBoundValue(async () => {
      builds += 1;
      if (builds === 1) throw new Error('listSecrets failed');
      return { value: 'storage' };
    });
    await assert.rejects(storage.get(), /listSecrets failed/);
    assert.equal(await storage.get(), 'storage');
    assert.equal(await storage.get(), 'storage');
    assert.equal(builds, 2);
  });
});
