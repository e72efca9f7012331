import type { DatastoreSecrets } from './domain';
import { normalizeSasToken } from './sasToken';

/** What listSecrets asks for: a secret that expires, as current Azure ML clients do. */
export const requestedSecretLifetimeHours = 1;

/** A secret is dropped this long before it expires, so no request starts with a dying one. */
export const secretExpiryMarginMs = 5 * 60_000;

/**
 * When a secret from listSecrets stops working: a SAS token's own `se=`, else (account keys,
 * SAS bound to a stored access policy, `se` not a date) the lifetime that was asked for.
 */
export function secretExpiresAt(secrets: DatastoreSecrets, receivedAt: Date): Date {
  const asked = new Date(receivedAt.getTime() + requestedSecretLifetimeHours * 3_600_000);
  if (secrets.secretsType !== 'Sas') return asked;
  const se = new URLSearchParams(normalizeSasToken(secrets.sasToken)).get('se');
  const signedExpiry = se ? new Date(se) : undefined;
  if (!signedExpiry || Number.isNaN(signedExpiry.getTime())) return asked;
  return signedExpiry.getTime() < asked.getTime() ? signedExpiry : asked;
}

/** Whether something built on a secret expiring at `expiresAt` may still be used at `now`. */
export function isSecretFresh(expiresAt: Date | undefined, now: Date = new Date()): boolean {
  return expiresAt === undefined || now.getTime() < expiresAt.getTime() - secretExpiryMarginMs;
}
