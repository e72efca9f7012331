import * as l10n from '@vscode/l10n';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { formatTimestamp } from '../core/format';
import { readAccessTokenClaims } from './accessTokenClaims';
import type { Cloud } from './cloud';
import { AzureMlError } from './errors';

/** The environment variable that carries a bearer token for Resource Manager instead of a sign-in. */
export const accessTokenVariable = 'AZML_ACCESS_TOKEN';

/** How long a token of unknown expiry is reported valid; the SDK asks again after this. */
const unknownExpiryLifetimeMs = 60 * 60 * 1000;

function audienceOf(scope: string): string {
  return scope.replace(/\/\.default$/, '');
}

export function accessTokenExpiredError(expiresOn: Date): AzureMlError {
  return new AzureMlError(
    l10n.t('The token in {0} expired at {1}. Set a new token in {0} (for VS Code: in the environment it is started from, then reload the window).', accessTokenVariable, formatTimestamp(expiresOn) ?? ''),
    undefined, 'AccessTokenExpired');
}

/** A request for another audience (Azure Storage): one bearer token has one audience. */
export function accessTokenAudienceError(cloud: Cloud, requested: string): AzureMlError {
  return new AzureMlError(
    l10n.t('The token in {0} is for Azure Resource Manager ({1}); this needs a token for {2}, and one token has only one audience. Use a datastore with an account key or SAS token, or sign in instead of using the token.', accessTokenVariable, audienceOf(cloud.armScope), audienceOf(requested)),
    undefined, 'AccessTokenAudience');
}

/**
 * The fixed bearer token from AZML_ACCESS_TOKEN, for the cloud's Resource Manager only. A JWT's
 * `exp` is honoured (an expired token is refused before it is sent); its other claims are not trusted.
 */
export function createEnvironmentTokenCredential(token: string, cloud: Cloud, now: () => Date = () => new Date()): TokenCredential {
  const expiresOn = readAccessTokenClaims(token)?.expiresOn;
  return {
    getToken: async (scopes: string | string[]): Promise<AccessToken> => {
      const requested = Array.isArray(scopes) ? scopes : [scopes];
      if (!requested.includes(cloud.armScope)) throw accessTokenAudienceError(cloud, requested[0] ?? '');
      if (expiresOn && expiresOn.getTime() <= now().getTime()) throw accessTokenExpiredError(expiresOn);
      return { token, tokenType: 'Bearer', expiresOnTimestamp: expiresOn?.getTime() ?? now().getTime() + unknownExpiryLifetimeMs };
    },
  };
}
