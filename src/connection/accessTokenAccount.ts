import type { TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import type { AccessTokenClaims } from '../azure/accessTokenClaims';
import type { Cloud } from '../azure/cloud';
import { formatTimestamp } from '../core/format';
import { AzureConnection } from './azureConnection';
import type { Connection } from './connection';
import type { AzureModules } from './loadAzureModules';

/** The machine-scoped, unsynced switch (package.json) that makes AZML_ACCESS_TOKEN the Azure account. */
export const useAccessTokenSetting = 'auth.useAccessTokenFromEnvironment';

/**
 * Whether the user turned the switch on. Only the user (machine) value counts: a folder's
 * settings must not make the editor act as whatever token its environment happens to hold.
 */
export function accessTokenFromEnvironmentWanted(): boolean {
  return vscode.workspace.getConfiguration('azureml').inspect<unknown>(useAccessTokenSetting)?.globalValue === true;
}

/** The token in the extension host's environment, if any. Never stored, logged or shown. */
export function environmentAccessToken(sdk: AzureModules): string | undefined {
  return process.env[sdk.accessTokenVariable]?.trim() || undefined;
}

/** The setting is on, the variable empty: the normal sign-in stays available. */
export class AccessTokenMissingError extends Error {
  readonly code = 'AccessTokenMissing';
  constructor(variable: string) {
    super(vscode.l10n.t('azureml.auth.useAccessTokenFromEnvironment is on, but {0} is not set in the environment VS Code was started from. Set it and reload the window, or sign in with your Microsoft account.', variable));
  }
}

/** An Azure account that is the bearer token from AZML_ACCESS_TOKEN, for Resource Manager only. */
export class AccessTokenAccount {
  private readonly tokenCredential: TokenCredential;
  /** Read from the token, unverified: for display only. */
  readonly claims: AccessTokenClaims | undefined;

  constructor(readonly cloud: Cloud, token: string, private readonly sdk: AzureModules) {
    this.tokenCredential = sdk.createEnvironmentTokenCredential(token, cloud);
    this.claims = sdk.readAccessTokenClaims(token);
  }

  /** The same token for every tenant: it is for the one it was issued in. */
  credential(_tenantId?: string): TokenCredential {
    return this.tokenCredential;
  }

  /** Throws the expired-token message when the token's own expiry has passed. */
  async checkUsable(): Promise<void> {
    await this.tokenCredential.getToken(this.cloud.armScope);
  }

  /** How the views name the account. */
  get label(): string {
    const expiresOn = formatTimestamp(this.claims?.expiresOn);
    return expiresOn
      ? vscode.l10n.t('Access token from {0}, expires {1}', this.sdk.accessTokenVariable, expiresOn)
      : vscode.l10n.t('Access token from {0}, expiry unknown', this.sdk.accessTokenVariable);
  }

  /** The token's unverified claims, for the tooltip. */
  get details(): string {
    const c = this.claims;
    if (!c) return vscode.l10n.t('Not a JWT: its tenant, identity and expiry are unknown.');
    return [
      c.subject ? vscode.l10n.t('Issued to {0}', c.subject) : undefined,
      c.tenantId ? vscode.l10n.t('Tenant {0}', c.tenantId) : undefined,
      c.objectId ? vscode.l10n.t('Object id {0}', c.objectId) : undefined,
      c.audience ? vscode.l10n.t('Audience {0}', c.audience) : undefined,
      vscode.l10n.t('(read from the token, not verified)'),
    ].filter((line) => line !== undefined).join('\n');
  }
}

/** The token from AZML_ACCESS_TOKEN, when that is what the connection signs in with. */
export function tokenAccountOf(connection: Connection): AccessTokenAccount | undefined {
  return connection instanceof AzureConnection && connection.account instanceof AccessTokenAccount ? connection.account : undefined;
}
