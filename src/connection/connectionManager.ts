import * as vscode from 'vscode';
import { resolveLocalDataDir } from '../local/discovery';
import type { Cloud } from '../azure/cloud';
import type { WorkspaceClient } from '../azure/workspaceClient';
import type { Log } from '../ui/log';
import { additionalStorageSuffixesSetting, adminCustomCloud, adminStorageSuffixes, customCloudSetting } from './adminStorageSuffixes';
import type { ErrorContext } from '../ui/describeError';
import {
  AccessTokenAccount, AccessTokenMissingError, accessTokenFromEnvironmentWanted, environmentAccessToken, tokenAccountOf, useAccessTokenSetting,
} from './accessTokenAccount';
import { AzureAccount } from './azureAccount';
import { AzureConnection } from './azureConnection';
import type { ActiveWorkspace, Connection, ConnectionKind } from './connection';
import { loadAzureModules } from './loadAzureModules';
import { LocalConnection } from './localConnection';
import type { LocalWorkspaceLauncher, LocalWorkspaceStart } from './localWorkspaceLauncher';

const connectionKindKey = 'azureml.connectionKind';
const activeWorkspaceKey = 'azureml.activeWorkspace';

export class NoActiveWorkspaceError extends Error {
  readonly code = 'NoActiveWorkspace';
  constructor() {
    super(vscode.l10n.t('No workspace is selected. Run "Azure ML: Select Workspace".'));
  }
}

export class NotConnectedError extends Error {
  readonly code = 'NotSignedIn';
  constructor() {
    super(vscode.l10n.t('Not connected: sign in to Azure or use the local workspace.'));
  }
}

/** The machine setting azureml.customCloud describes no usable cloud; nothing was contacted. */
export class InvalidCustomCloudSettingError extends Error {
  readonly code = 'InvalidCustomCloudSetting';
  constructor(problem: string) {
    super(vscode.l10n.t('The user setting azureml.customCloud cannot be used: {0} Correct it in your user settings, or remove it to use the cloud named by azureml.cloud.', problem));
  }
}

function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('azureml');
}

/**
 * Which backend the extension talks to (Azure or the local workspace) and which workspace is
 * active. Both are remembered in global state; the live connection is restored lazily, on first
 * use, so activation does no I/O.
 */
export class ConnectionManager implements vscode.Disposable {
  private connection: Connection | undefined;
  private restoring: Promise<Connection> | undefined;
  private readonly connectionChanged = new vscode.EventEmitter<void>();
  private readonly activeWorkspaceChanged = new vscode.EventEmitter<void>();
  private readonly connected = new vscode.EventEmitter<Connection>();
  readonly onDidChangeConnection = this.connectionChanged.event;
  /** A connection became live: chosen now, or the remembered one restored on first use. */
  readonly onDidConnect = this.connected.event;
  readonly onDidChangeActiveWorkspace = this.activeWorkspaceChanged.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly launcher: LocalWorkspaceLauncher,
    private readonly log: Log,
  ) {
    void this.updateContextKeys();
    this.configurationWatch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('azureml.local.dataFolder') || e.affectsConfiguration('azureml.local.autoConnect')) this.forgetLocalConnection();
      // The cloud is fixed when the connection is made: tokens and storage trust follow these only on a new one.
      const azureSettings = [useAccessTokenSetting, 'cloud', customCloudSetting, additionalStorageSuffixesSetting];
      if (azureSettings.some((setting) => e.affectsConfiguration(`azureml.${setting}`))) this.forgetAzureConnection();
    });
  }

  private readonly configurationWatch: vscode.Disposable;

  /**
   * Another data folder means another local workspace: the live connection to the old one is
   * dropped (its service keeps running) and restored from the new folder on next use. In a remote
   * window, machine settings can also arrive after the views first asked for them.
   */
  private forgetLocalConnection(): void {
    if (this.connection && !(this.connection instanceof LocalConnection)) return;
    this.connection = undefined;
    void this.updateContextKeys();
    this.connectionChanged.fire();
    this.activeWorkspaceChanged.fire();
  }

  /** The account or cloud changes with the settings: restored, on next use, as they now say. */
  private forgetAzureConnection(): void {
    if (!(this.connection instanceof AzureConnection)) return;
    this.connection = undefined;
    void this.updateContextKeys();
    this.connectionChanged.fire();
  }

  /** The backend chosen last time (or by the autoConnect setting), even before it is reached. */
  get kind(): ConnectionKind | undefined {
    const remembered = this.state.get<ConnectionKind>(connectionKindKey);
    if (remembered) return remembered;
    return configuration().get<boolean>('local.autoConnect') ? 'local' : undefined;
  }

  get activeWorkspace(): ActiveWorkspace | undefined {
    const active = this.state.get<ActiveWorkspace>(activeWorkspaceKey);
    return active && active.connectionKind === this.kind ? active : undefined;
  }

  get localDataDir(): string {
    return resolveLocalDataDir(configuration().get<string>('local.dataFolder') || undefined);
  }

  /** The live connection, if one was made or restored; never restores one. */
  get liveConnection(): Connection | undefined {
    return this.connection;
  }

  /** The live connection, restoring the remembered one without prompting; throws when there is none. */
  async getConnection(): Promise<Connection> {
    if (this.connection) return this.connection;
    this.restoring ??= this.restore().finally(() => {
      this.restoring = undefined;
    });
    return this.restoring;
  }

  private async restore(): Promise<Connection> {
    const kind = this.kind;
    if (kind === 'local') {
      const sdk = await loadAzureModules();
      const { readDiscoveryFile } = await import('../local/discovery.js');
      const service = await readDiscoveryFile(this.localDataDir);
      const connection = await this.use(new LocalConnection(service, this.localDataDir, sdk), false);
      // autoConnect on a first run: nothing remembered yet, so show the service's own workspace.
      if (!this.activeWorkspace) {
        await this.setActiveWorkspace({
          connectionKind: 'local',
          tenantId: service.tenantId,
          subscriptionId: service.subscriptionId,
          resourceGroup: service.resourceGroup,
          workspaceName: service.workspace,
        });
      }
      return connection;
    }
    if (kind === 'azure') {
      const sdk = await loadAzureModules();
      const cloud = this.azureCloud(sdk);
      const tokenAccount = await this.accessTokenAccount(cloud, sdk);
      if (tokenAccount) return this.use(this.azureConnection(tokenAccount, sdk), false);
      const account = new AzureAccount(cloud);
      if (!(await account.isSignedIn())) {
        throw accessTokenFromEnvironmentWanted() ? new AccessTokenMissingError(sdk.accessTokenVariable) : new NotConnectedError();
      }
      return this.use(this.azureConnection(account, sdk), false);
    }
    throw new NotConnectedError();
  }

  private azureCloud(sdk: Awaited<ReturnType<typeof loadAzureModules>>) {
    const custom = adminCustomCloud();
    if (custom !== undefined && custom !== null) return sdk.withAdditionalStorageSuffixes(this.customCloud(sdk, custom), adminStorageSuffixes());
    const name = configuration().get<string>('cloud') ?? 'AzureCloud';
    return sdk.withAdditionalStorageSuffixes(sdk.cloudByName(name) ?? sdk.azureClouds[0]!, adminStorageSuffixes());
  }

  private customCloud(sdk: Awaited<ReturnType<typeof loadAzureModules>>, setting: unknown) {
    try {
      return sdk.customCloud(setting);
    } catch (error) {
      throw new InvalidCustomCloudSettingError(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The token from AZML_ACCESS_TOKEN as the account, when the user setting asks for it and the
   * variable holds one; throws when its own expiry has passed. Undefined otherwise.
   */
  private async accessTokenAccount(cloud: Cloud, sdk: Awaited<ReturnType<typeof loadAzureModules>>): Promise<AccessTokenAccount | undefined> {
    if (!accessTokenFromEnvironmentWanted()) return undefined;
    const token = environmentAccessToken(sdk);
    if (!token) return undefined;
    const account = new AccessTokenAccount(cloud, token, sdk);
    await account.checkUsable();
    return account;
  }

  /** What the current connection means for error messages: a refused token is not an expired sign-in. */
  get errorContext(): ErrorContext {
    return this.connection && tokenAccountOf(this.connection) ? 'azureAccessToken' : this.kind;
  }

  private azureConnection(account: AzureAccount | AccessTokenAccount, sdk: Awaited<ReturnType<typeof loadAzureModules>>): AzureConnection {
    return new AzureConnection(account.cloud, account, sdk, () => configuration().get<string[]>('subscriptions') ?? []);
  }

  /**
   * Interactive sign-in through VS Code's Microsoft account, or, when the user setting asks for
   * it, the token from AZML_ACCESS_TOKEN without a prompt. Returns false when the user declines.
   */
  async connectAzure(tenantId?: string): Promise<boolean> {
    const sdk = await loadAzureModules();
    const cloud = this.azureCloud(sdk);
    const tokenAccount = await this.accessTokenAccount(cloud, sdk);
    if (tokenAccount) {
      await this.use(this.azureConnection(tokenAccount, sdk), true);
      return true;
    }
    if (accessTokenFromEnvironmentWanted()) {
      const missing = new AccessTokenMissingError(sdk.accessTokenVariable);
      this.log.warn(missing.message);
      void vscode.window.showWarningMessage(missing.message);
    }
    const account = new AzureAccount(cloud);
    if (!(await account.signIn(tenantId))) return false;
    await this.use(this.azureConnection(account, sdk), true);
    return true;
  }

  /** Connects to the local workspace, starting it when it is not running. */
  async connectLocal(): Promise<LocalWorkspaceStart> {
    const sdk = await loadAzureModules();
    const dataDir = this.localDataDir;
    const start = await this.launcher.connectOrStart(dataDir, configuration().get<string>('local.azuritePath') || undefined, {
      sharedKeyAccess: configuration().get<boolean>('local.storageKeyAccess') !== false,
    });
    const connection = new LocalConnection(start.service, dataDir, sdk);
    await this.use(connection, true);
    if (!this.activeWorkspace) {
      await this.setActiveWorkspace({
        connectionKind: 'local',
        tenantId: start.service.tenantId,
        subscriptionId: start.service.subscriptionId,
        resourceGroup: start.service.resourceGroup,
        workspaceName: start.service.workspace,
      });
    }
    return start;
  }

  /** Stops the local workspace (the one this window started, or the one its discovery file names). */
  async stopLocal(): Promise<void> {
    const service = this.connection instanceof LocalConnection ? this.connection.service : undefined;
    try {
      await this.launcher.stop(this.localDataDir, service);
    } finally {
      await this.disconnect();
    }
  }

  async disconnect(): Promise<void> {
    this.connection = undefined;
    await this.state.update(connectionKindKey, undefined);
    await this.updateContextKeys();
    this.connectionChanged.fire();
    this.activeWorkspaceChanged.fire();
  }

  private async use(connection: Connection, remember: boolean): Promise<Connection> {
    const changedKind = connection.kind !== this.state.get<ConnectionKind>(connectionKindKey);
    this.connection = connection;
    if (remember) await this.state.update(connectionKindKey, connection.kind);
    await this.updateContextKeys();
    const tokenAccount = tokenAccountOf(connection);
    if (tokenAccount) {
      this.log.info(vscode.l10n.t('Connected to {0} as: {1}.', connection.cloud.displayName, tokenAccount.label));
    } else {
      this.log.info(vscode.l10n.t('Connected to {0}.', connection.cloud.displayName));
    }
    if (remember) {
      this.connectionChanged.fire();
      if (changedKind) this.activeWorkspaceChanged.fire();
    }
    this.connected.fire(connection);
    return connection;
  }

  async setActiveWorkspace(workspace: ActiveWorkspace | undefined): Promise<void> {
    await this.state.update(activeWorkspaceKey, workspace);
    await this.updateContextKeys();
    this.activeWorkspaceChanged.fire();
  }

  /** The active workspace's client; throws when nothing is connected or selected. */
  async activeWorkspaceClient(): Promise<{ client: WorkspaceClient; workspace: ActiveWorkspace; connection: Connection }> {
    const connection = await this.getConnection();
    const workspace = this.activeWorkspace;
    if (!workspace) throw new NoActiveWorkspaceError();
    return { client: connection.workspaceClient(workspace), workspace, connection };
  }

  private async updateContextKeys(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'azureml.connection', this.kind ?? 'none');
    await vscode.commands.executeCommand('setContext', 'azureml.hasActiveWorkspace', this.activeWorkspace !== undefined);
    // Unlike the two above (what was chosen, remembered), this one means reached: the Get Started walkthrough's connect step.
    await vscode.commands.executeCommand('setContext', 'azureml.connected', this.connection !== undefined && this.activeWorkspace !== undefined);
  }

  dispose(): void {
    this.configurationWatch.dispose();
    this.connectionChanged.dispose();
    this.activeWorkspaceChanged.dispose();
    this.connected.dispose();
  }
}
