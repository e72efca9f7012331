import { strict as assert } from 'node:assert';
import { isSecretFresh, secretExpiresAt, secretExpiryMarginMs } from '../../src/azure/secretExpiry';

const receivedAt = new Date('2026-03-26T19:00:00Z');
const anHourLater = new Date('2026-03-26T20:00:00Z');

describe('datastore secrets are kept only until they expire', () => {
  it('a SAS token (with the leading "?") expires at its se=', () => {
    const expires = secretExpiresAt({ secretsType: 'Sas', sasToken: '?sv=2021-08-06&se=2026-03-26T19%3A30%3A00Z&sp=rl&sig=abc' }, receivedAt);
    assert.equal(expires.toISOString(), '2026-03-26T19:30:00.000Z');
  });

  it('a SAS token without "?" expires at its se=', () => {
    const expires = secretExpiresAt({ secretsType: 'Sas', sasToken: 'sv=2021-08-06&se=2026-03-26T19:45:00Z&sp=rl&sig=abc' }, receivedAt);
    assert.equal(expires.toISOString(), '2026-03-26T19:45:00.000Z');
  });

  it('a SAS bound to a stored access policy (si=, no se=) expires after the hour asked for', () => {
    const expires = secretExpiresAt({ secretsType: 'Sas', sasToken: '?sv=2021-08-06&si=readers&sr=c&sig=abc' }, receivedAt);
    assert.equal(expires.getTime(), anHourLater.getTime());
  });

  it('a SAS whose se= is later than the hour asked for is still dropped after that hour', () => {
    const expires = secretExpiresAt({ secretsType: 'Sas', sasToken: 'sv=2021-08-06&se=2027-01-01T00:00:00Z&sig=abc' }, receivedAt);
    assert.equal(expires.getTime(), anHourLater.getTime());
  });

  it('an account key (no body asked for, older services) expires after the hour asked for', () => {
    assert.equal(secretExpiresAt({ secretsType: 'AccountKey', key: 'dGhpcyBpcyBmYWtlIGtleQ==' }, receivedAt).getTime(), anHourLater.getTime());
  });

  it('a secret is not used in the last minutes before it expires', () => {
    assert.equal(isSecretFresh(anHourLater, new Date(anHourLater.getTime() - secretExpiryMarginMs - 1000)), true);
    assert.equal(isSecretFresh(anHourLater, new Date(anHourLater.getTime() - secretExpiryMarginMs + 1000)), false);
    assert.equal(isSecretFresh(anHourLater, new Date(anHourLater.getTime() + 1)), false);
  });
});
