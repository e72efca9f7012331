import { AccountSASPermissions, generateAccountSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { badRequest } from '../http/apiError';
import { isObject } from '../validation';

const defaultHours = 1;
/** Azure ML caps what a client may ask for; a day is plenty for the local workspace. */
const longestHours = 24;

/**
 * What `listSecrets` was asked for: `{"expirableSecret":true,"expireAfterHours":1}` (azure-ai-ml)
 * wants a SAS that expires instead of the account key. Undefined for the plain request (no body).
 */
export function expirableSecretHours(body: unknown): number | undefined {
  if (!isObject(body) || body['expirableSecret'] !== true) return undefined;
  const hours = body['expireAfterHours'] ?? defaultHours;
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > longestHours) {
    throw badRequest(`The field 'expireAfterHours' must be a whole number of hours from 1 to ${longestHours}.`, 'expireAfterHours');
  }
  return hours;
}

/**
 * The SAS Azure ML answers for an account-key datastore (`?sv=…&ss=bf&srt=co&sp=rcuwdl…`): an
 * account SAS for blobs and files, signed with the datastore's key, valid from a few minutes ago
 * (clocks differ) until `hours` from now.
 */
export function accountSasFor(accountName: string, accountKey: string, hours: number, now: Date): string {
  const sas = generateAccountSASQueryParameters({
    services: 'bf', resourceTypes: 'co', permissions: AccountSASPermissions.parse('racwdlu'),
    startsOn: new Date(now.getTime() - 5 * 60_000), expiresOn: new Date(now.getTime() + hours * 3_600_000),
  }, new StorageSharedKeyCredential(accountName, accountKey));
  return `?${sas.toString()}`;
}
