import { strict as assert } from 'node:assert';
import { readAccessTokenClaims } from '../../src/azure/accessTokenClaims';
import { azurePublicCloud } from '../../src/azure/cloud';
import { accessTokenVariable, createEnvironmentTokenCredential } from '../../src/azure/environmentAccessToken';

/** A JWT as Microsoft Entra ID issues it (the signature is not looked at). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const armToken = jwt({
  aud: 'https://management.core.windows.net/', tid: '72f988bf-0000-0000-0000-000000000000', oid: '0f0e0d0c-0000-0000-0000-000000000000',
  upn: 'ana@contoso.com', exp: Date.parse('2026-12-05T07:00:00Z') / 1000,
});

describe('the claims of a bearer token, for display only', () => {
  it('reads expiry, tenant, object id, audience and who it was issued to from a JWT', () => {
    assert.deepEqual(readAccessTokenClaims(armToken), {
      expiresOn: new Date('2026-12-05T07:00:00Z'),
      tenantId: '72f988bf-0000-0000-0000-000000000000',
      objectId: '0f0e0d0c-0000-0000-0000-000000000000',
      audience: 'https://management.core.windows.net/',
      subject: 'ana@contoso.com',
    });
  });

  it('names a service principal by its appid, and takes the first of several audiences', () => {
    assert.deepEqual(readAccessTokenClaims(jwt({ appid: 'app-1', aud: ['https://management.azure.com', 'x'] })), { audience: 'https://management.azure.com', subject: 'app-1' });
  });

  it('an opaque token, a token with a payload that is not JSON or not an object, has no claims', () => {
    assert.equal(readAccessTokenClaims('kP3Vb1y9qQmZ6x0wJtH7cA'), undefined);
    assert.equal(readAccessTokenClaims('a.bm90IGpzb24.c'), undefined);
    assert.equal(readAccessTokenClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`), undefined);
    assert.equal(readAccessTokenClaims('a.b+c.d'), undefined);
  });

  it('ignores an exp that is not a number', () => {
    assert.deepEqual(readAccessTokenClaims(jwt({ exp: 'tomorrow', tid: '' })), {});
  });
});

describe(`the token from ${accessTokenVariable} as a credential`, () => {
  const before = () => new Date('2026-12-05T06:00:00Z');
  const after = () => new Date('2026-12-05T07:00:01Z');

  it('answers the token, with its own expiry, for the cloud\'s Resource Manager', async () => {
    const token = await createEnvironmentTokenCredential(armToken, azurePublicCloud, before).getToken(azurePublicCloud.armScope);
    assert.equal(token?.token, armToken);
    assert.equal(token?.expiresOnTimestamp, Date.parse('2026-12-05T07:00:00Z'));
  });

  it('refuses an expired JWT before it is sent, saying to set a new one and reload, without showing it', async () => {
    await assert.rejects(createEnvironmentTokenCredential(armToken, azurePublicCloud, after).getToken(azurePublicCloud.armScope), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'AccessTokenExpired');
      assert.equal(error.message, 'The token in AZML_ACCESS_TOKEN expired at 2026-12-05 07:00:00Z. Set a new token in AZML_ACCESS_TOKEN (for VS Code: in the environment it is started from, then reload the window).');
      return true;
    });
  });

  it('refuses another audience (Azure Storage) with one message naming both audiences, never the token', async () => {
    await assert.rejects(createEnvironmentTokenCredential(armToken, azurePublicCloud, before).getToken('https://storage.azure.com/.default'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'AccessTokenAudience');
      assert.equal(error.message, 'The token in AZML_ACCESS_TOKEN is for Azure Resource Manager (https://management.azure.com); this needs a token for https://storage.azure.com, and one token has only one audience. Use a datastore with an account key or SAS token, or sign in instead of using the token.');
      assert.ok(!error.message.includes(armToken));
      return true;
    });
  });

  it('an opaque token has no known expiry: it is answered, valid for an hour from now', async () => {
    const token = await createEnvironmentTokenCredential('opaque-token', azurePublicCloud, before).getToken([azurePublicCloud.armScope]);
    assert.equal(token?.expiresOnTimestamp, before().getTime() + 60 * 60 * 1000);
  });
});
