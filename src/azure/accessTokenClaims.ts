/**
 * What a bearer token says about itself, when it is a JWT (Microsoft Entra tokens are). The
 * signature is not verified: the claims are for display and for noticing an expired token
 * before it is sent, never for deciding what the token may reach.
 */
export interface AccessTokenClaims {
  /** `exp`. */
  expiresOn?: Date;
  /** `tid`. */
  tenantId?: string;
  /** `oid`. */
  objectId?: string;
  /** `aud`. */
  audience?: string;
  /** `upn`, `unique_name` or `appid`: who the token was issued to, for display. */
  subject?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The claims of a JWT; undefined when the token is not one (an opaque token). */
export function readAccessTokenClaims(token: string): AccessTokenClaims | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1] ?? '')) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const claims = payload as Record<string, unknown>;
  const exp = claims['exp'];
  const audience = Array.isArray(claims['aud']) ? text(claims['aud'][0]) : text(claims['aud']);
  const subject = text(claims['upn']) ?? text(claims['unique_name']) ?? text(claims['appid']);
  const tenantId = text(claims['tid']);
  const objectId = text(claims['oid']);
  return {
    ...(typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? { expiresOn: new Date(exp * 1000) } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(objectId ? { objectId } : {}),
    ...(audience ? { audience } : {}),
    ...(subject ? { subject } : {}),
  };
}
