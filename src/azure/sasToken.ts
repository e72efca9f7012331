/**
 * What is wrong with a SAS token on its face (before any request): the shared reading of a
 * token for the registration form and for opening a datastore's storage.
 */
export type SasTokenProblem =
  | { kind: 'empty' }
  | { kind: 'url' }
  | { kind: 'noSignature' }
  | { kind: 'noVersion' }
  | { kind: 'expired'; at: Date }
  | { kind: 'notYetValid'; at: Date };

/** The token as the service wants it: without a leading "?". */
export function normalizeSasToken(token: string): string {
  return token.trim().replace(/^\?/, '');
}

function dateParam(params: URLSearchParams, name: string): Date | undefined {
  const value = params.get(name);
  const date = value ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

export function sasTokenProblem(token: string, now: Date = new Date()): SasTokenProblem | undefined {
  const sas = normalizeSasToken(token);
  if (!sas) return { kind: 'empty' };
  if (/^[a-z]+:\/\//i.test(sas)) return { kind: 'url' };
  const params = new URLSearchParams(sas);
  if (!params.get('sig')) return { kind: 'noSignature' };
  if (!params.get('sv')) return { kind: 'noVersion' };
  const expires = dateParam(params, 'se');
  if (expires && expires.getTime() <= now.getTime()) return { kind: 'expired', at: expires };
  const starts = dateParam(params, 'st');
  // Storage allows for clocks a little apart; so does this.
  if (starts && starts.getTime() > now.getTime() + 5 * 60_000) return { kind: 'notYetValid', at: starts };
  return undefined;
}

/** `2025-05-31 23:00 UTC`. */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The longest a link made here may live: a user delegation key's own limit, and the policy for key-signed links too. */
export const maxSasLifetimeMs = 7 * 24 * 3_600_000;

/** "1h", "1d", "7d", "30m": how long a link lives. */
export function parseSasExpiry(text: string, now: Date = new Date()): Date | undefined {
  const match = /^\s*(\d+)\s*([mhd])\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]!.toLowerCase() as 'm' | 'h' | 'd'];
  return new Date(now.getTime() + Number(match[1]) * unit);
}
