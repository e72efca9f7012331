import * as assert from 'node:assert/strict';
import { maskSecrets } from '../../src/azure/secrets';
import { errorFromResponse } from '../../src/azure/errors';
import { mapRunDetails } from '../../src/azure/mappers';

describe('maskSecrets', () => {
  it('hides SAS signatures, account keys, bearer tokens and client secrets', () => {
    const text = [
      'GET https://acct.blob.core.windows.net/c?sv=2024-01-01&sig=abc%2Fdef&se=2030',
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFy==;EndpointSuffix=core.windows.net',
      'Authorization: Bearer eyJ0eXAiOiJKV1Qi.eyJhdWQiOi.sig',
      '{"clientSecret":"s3cr3t","key":"k3y"}',
    ].join('\n');
    const masked = maskSecrets(text);
    for (const secret of ['abc%2Fdef', 'Zm9vYmFy==', 'eyJ0eXAiOiJKV1Qi', 's3cr3t', 'k3y']) {
      assert.ok(!masked.includes(secret), `${secret} leaked: ${masked}`);
    }
    assert.match(masked, /sv=2024-01-01&sig=\*\*\*&se=2030/);
  });
});

describe('errorFromResponse', () => {
  it('reads the ARM error envelope and masks secrets in its message', () => {
    const error = errorFromResponse(403, JSON.stringify({ error: { code: 'AuthorizationFailed', message: 'denied for ?sig=topsecret' } }));
    assert.equal(error.status, 403);
    assert.equal(error.code, 'AuthorizationFailed');
    assert.equal(error.message, 'denied for ?sig=***');
  });
  it('falls back to a code for the status when the body is not JSON', () => {
    const error = errorFromResponse(404, 'nope');
    assert.equal(error.code, 'NotFound');
    assert.equal(error.message, 'nope');
  });
});

describe('mapRunDetails', () => {
  it('masks secrets in a failed run\'s error and warnings, which notifications and tooltips show', () => {
    const details = mapRunDetails({
      runId: 'r1',
      status: 'Failed',
      error: { error: { code: 'UserError', message: 'Could not read https://acct.blob.core.windows.net/c/data.csv?sv=2024-01-01&sig=s1gn4ture%3D' } },
      warnings: [{ source: 'script', message: 'connecting with DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5a2V5==;' }],
    });
    assert.equal(details.error?.message, 'Could not read https://acct.blob.core.windows.net/c/data.csv?sv=2024-01-01&sig=***');
    assert.equal(details.warnings[0]?.message, 'connecting with DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;');
  });
});
