import { errors } from './storageError';

/** Azure Storage's page-size limit (and default) for listings. */
export const maxListResults = 5000;

export function parseMaxResults(text: string | undefined): number {
  if (text === undefined || text === '') return maxListResults;
  if (!/^\d+$/.test(text)) throw errors.invalidQueryParameterValue('maxresults');
  const value = Number(text);
  if (value < 1) throw errors.outOfRangeQueryParameterValue('maxresults');
  return Math.min(value, maxListResults);
}

/** Listing markers are opaque to clients: the key of the first entry of the next page. */
export function encodeMarker(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeMarker(marker: string | undefined): string {
  if (marker === undefined || marker === '') return '';
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw errors.invalidQueryParameterValue('marker');
  return Buffer.from(marker, 'base64url').toString('utf8');
}

/** `include=Timestamps,ETag,…` as a set of lower-cased words. */
export function parseInclude(text: string | undefined): Set<string> {
  return new Set((text ?? '').split(',').map((word) => word.trim().toLowerCase()).filter((word) => word !== ''));
}
