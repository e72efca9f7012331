import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import type { Cloud } from '../azure/cloud';

/** VS Code's built-in authentication providers for Microsoft Entra ID. */
function authenticationProvider(cloud: Cloud): string {
  return cloud.name === 'AzureCloud' ? 'microsoft' : 'microsoft-sovereign-cloud';
}

const sovereignEnvironments: Partial<Record<Cloud['name'], string>> = {
  AzureUSGovernment: 'USGovernment',
  AzureChinaCloud: 'ChinaCloud',
  // Its endpoints come from microsoft-sovereign-cloud.customEnvironment, which the user sets (see README).
  custom: 'custom',
};

/** VS Code asks for a tenant through a pseudo-scope. */
function scopesFor(requested: string | string[], tenantId: string | undefined): string[] {
  const scopes = Array.isArray(requested) ? [...requested] : [requested];
  return tenantId ? [...scopes, `VSCODE_TENANT:${tenantId}`] : scopes;
}

class NotSignedInError extends Error {
  readonly code = 'NotSignedIn';
}

/** How long we report a VS Code session token valid; VS Code renews the session itself. */
const tokenReuseMs = 5 * 60 * 1000;

/** An Azure account signed in through VS Code's Microsoft authentication provider. */
export class AzureAccount {
  constructor(readonly cloud: Cloud) {}

  private get provider(): string {
    return authenticationProvider(this.cloud);
  }

  /** Signs in interactively (for a tenant, when given). Returns false when the user declines. */
  async signIn(tenantId?: string): Promise<boolean> {
    await this.pointSovereignProviderAtCloud();
    const session = await vscode.authentication.getSession(this.provider, scopesFor(this.cloud.armScope, tenantId), { createIfNone: true });
    return session !== undefined;
  }

  /** Whether VS Code already has a session; never prompts. */
  async isSignedIn(): Promise<boolean> {
    const session = await vscode.authentication.getSession(this.provider, [this.cloud.armScope], { silent: true });
    return session !== undefined;
  }

  /** A credential for the SDKs: tokens of the signed-in account, for a tenant when given; never prompts. */
  credential(tenantId?: string): TokenCredential {
    return {
      getToken: async (scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> => {
        const session = await vscode.authentication.getSession(this.provider, scopesFor(scopes, tenantId), { silent: true });
        if (!session) {
          throw new NotSignedInError(tenantId ? vscode.l10n.t('Sign in to tenant {0} to see its subscriptions.', tenantId) : vscode.l10n.t('Sign in to Azure first.'));
        }
        return { token: session.accessToken, expiresOnTimestamp: Date.now() + tokenReuseMs };
      },
    };
  }

  /** The sovereign-cloud provider serves the cloud its own setting names. */
  private async pointSovereignProviderAtCloud(): Promise<void> {
    const environment = sovereignEnvironments[this.cloud.name];
    if (!environment) return;
    const settings = vscode.workspace.getConfiguration('microsoft-sovereign-cloud');
    if (settings.get<string>('environment') !== environment) {
      await settings.update('environment', environment, vscode.ConfigurationTarget.Global);
    }
  }
}
