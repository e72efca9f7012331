import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import { LocalWorkspaceNotRunningError, readDiscoveryFile, type LocalWorkspaceConnection } from '../local/discovery';
import { launchLocalService, type LaunchedLocalService } from '../local/launcher';
import { stopLocalService } from '../local/stopLocalService';
import type { Log } from '../ui/log';

export interface LocalWorkspaceStart {
  service: LocalWorkspaceConnection;
  /** True when this call started the service (it stops with VS Code). */
  started: boolean;
  /** True when the data folder was new and got demo content. */
  seeded: boolean;
}

/** The Azurite queue a local workspace started by the extension publishes its events to. */
export const localEventsQueue = 'azureml-events';

/** Connects to a running local workspace service, or starts one as a child of the extension host. */
export class LocalWorkspaceLauncher {
  private owned: LaunchedLocalService | undefined;
  /** Starts under way, by data folder: a second click while one boots waits for it, not a second service. */
  private readonly starting = new Map<string, Promise<LocalWorkspaceStart>>();

  constructor(private readonly serviceScript: string, private readonly log: Log) {}

  get ownsRunningService(): boolean {
    return this.owned !== undefined && this.owned.process.exitCode === null;
  }

  connectOrStart(dataDir: string, azuriteDir: string | undefined, storage: { sharedKeyAccess: boolean } = { sharedKeyAccess: true }): Promise<LocalWorkspaceStart> {
    let start = this.starting.get(dataDir);
    if (!start) {
      start = this.connectOrStartOnce(dataDir, azuriteDir, storage).finally(() => this.starting.delete(dataDir));
      this.starting.set(dataDir, start);
    }
    return start;
  }

  private async connectOrStartOnce(dataDir: string, azuriteDir: string | undefined, storage: { sharedKeyAccess: boolean }): Promise<LocalWorkspaceStart> {
    try {
      return { service: await readDiscoveryFile(dataDir), started: false, seeded: false };
    } catch (e) {
      if (!(e instanceof LocalWorkspaceNotRunningError)) throw e;
    }
    // A new data folder gets demo content: the local workspace is the extension's demo.
    const isNew = !existsSync(dataDir);
    this.log.info(isNew
      ? l10n.t('Starting the local workspace in {0} with demo content.', dataDir)
      : l10n.t('Starting the local workspace in {0}.', dataDir));
    if (!storage.sharedKeyAccess) this.log.info(l10n.t('The local workspace\'s storage refuses account keys and SAS tokens (azureml.local.storageKeyAccess is off).'));
    this.owned = await launchLocalService({
      serviceScript: this.serviceScript,
      dataDir,
      ...(isNew ? { seed: 'demo' as const } : {}),
      ...(storage.sharedKeyAccess ? {} : { sharedKeyAccess: false }),
      // Its events reach the extension through this queue; run watchers then stop polling early.
      eventsQueue: localEventsQueue,
      ...(azuriteDir ? { env: { AZML_AZURITE_DIR: azuriteDir } } : {}),
      onLog: (line) => this.log.info(l10n.t('Local workspace: {0}', line)),
    });
    return { service: this.owned.connection, started: true, seeded: isNew };
  }

  /**
   * Stops the service this launcher started, or asks the one `service` (else the data folder's
   * discovery file) names to stop, through its endpoint and token. Throws, having signalled
   * nothing, when that is not a running local workspace.
   */
  async stop(dataDir: string, service: LocalWorkspaceConnection | undefined): Promise<void> {
    if (this.owned) {
      const owned = this.owned;
      this.owned = undefined;
      await owned.stop();
      return;
    }
    const target = service ?? await readDiscoveryFile(dataDir);
    const { pid } = await stopLocalService(dataDir, target);
    this.log.info(l10n.t('Stopped the local workspace in {0} (process {1}).', dataDir, pid));
  }

  dispose(): void {
    void this.owned?.stop();
    this.owned = undefined;
  }
}
