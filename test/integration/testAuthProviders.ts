/**
 * Stand-ins for VS Code's Microsoft authentication providers, registered under the same ids, so a
 * sign-in goes through VS Code's own authentication service without reaching Microsoft.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from './treeAccess';

export interface SessionRequest {
  provider: string;
  scopes: string[];
  /** microsoft-sovereign-cloud.environment when the request arrived. */
  environment: string | undefined;
}

/**
 * A provider under a built-in id that records what it is asked. Like Microsoft's, once the account
 * has signed in (createSession) it answers a session for whatever scopes are asked.
 */
export function registerTestProvider(id: string, requests: SessionRequest[]): vscode.Disposable {
  const changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  let signedIn = false;
  const account = { id: 'tester', label: 'tester@example.com' };
  const session = (scopes: readonly string[]): vscode.AuthenticationSession => ({ id: `${id}:${[...scopes].sort().join(' ')}`, accessToken: 'test-access-token', account, scopes: [...scopes] });
  const record = (scopes: readonly string[] | undefined): void => {
    requests.push({ provider: id, scopes: [...(scopes ?? [])], environment: vscode.workspace.getConfiguration('microsoft-sovereign-cloud').get<string>('environment') });
  };
  const registration = vscode.authentication.registerAuthenticationProvider(id, `Test ${id}`, {
    onDidChangeSessions: changed.event,
    getSessions: async (scopes) => {
      record(scopes);
      return signedIn && scopes ? [session(scopes)] : [];
    },
    createSession: async (scopes) => {
      record(scopes);
      signedIn = true;
      const created = session(scopes);
      changed.fire({ added: [created], removed: [], changed: [] });
      return created;
    },
    removeSession: async () => undefined,
  });
  return vscode.Disposable.from(registration, changed);
}

/**
 * In extension tests VS Code refuses its consent dialog, so the account signs in and allows the
 * extension the other way a user can: the sign-in request an extension leaves in the Accounts menu.
 * (This suite's own `vscode` API is the extension's: its files lie inside the extension.)
 */
export async function signInThroughAccountsMenu(provider: string, extensionId: string): Promise<void> {
  assert.equal(await vscode.authentication.getSession(provider, ['openid'], {}), undefined);
  await eventually(async () => {
    await vscode.commands.executeCommand(`${provider}:${extensionId}:signIn0`);
    return true;
  }, `the Accounts menu's sign-in request for ${provider}`);
}
