import * as l10n from '@vscode/l10n';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential } from '@azure/identity';
import type { LocalWorkspaceConnection } from '../local/discovery';
import type { Cloud } from './cloud';
import { transportClientOptions } from './transport';

/** Signs in as a service principal against the cloud's own Microsoft Entra authority. */
export function createServicePrincipalCredential(
  cloud: Cloud,
  tenantId: string,
  clientId: string,
  clientSecret: string,
): TokenCredential {
  return new ClientSecretCredential(tenantId, clientId, clientSecret, {
    authorityHost: cloud.authorityHost,
    ...transportClientOptions(l10n.t('Microsoft Entra ID')),
  });
}

/** How long a fixed token is reported valid; the SDK refreshes shortly before this. */
const fixedTokenLifetimeMs = 60 * 60 * 1000;

/** A credential that always answers the same bearer token (the local workspace's). */
export function createFixedTokenCredential(token: string): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({
      token,
      expiresOnTimestamp: Date.now() + fixedTokenLifetimeMs,
      tokenType: 'Bearer',
    }),
  };
}

/** The credential for a running local workspace: the bearer token from its discovery file. */
export function createLocalWorkspaceCredential(connection: Pick<LocalWorkspaceConnection, 'token'>): TokenCredential {
  return createFixedTokenCredential(connection.token);
}
