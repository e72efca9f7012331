import * as vscode from 'vscode';
import type { ActiveWorkspace, Connection } from '../../connection/connection';
import type { ConnectionManager } from '../../connection/connectionManager';
import { loadAzureModules, type AzureModules } from '../../connection/loadAzureModules';
import { LocalConnection } from '../../connection/localConnection';
import type { WorkspaceEvent } from '../../core/events/workspaceEvent';
import { describeError } from '../../ui/describeError';
import type { Log } from '../../ui/log';

type Queues = Awaited<ReturnType<AzureModules['openEventQueues']>>;

/** What the listener receives from, once it does. */
export interface ListeningTo {
  queue: string;
  poisonQueue: string;
}

function warnNotReceived(error: unknown, connection: Connection): void {
  const described = describeError(error, connection.kind);
  void vscode.window.showWarningMessage(vscode.l10n.t('Azure ML does not receive the workspace\'s events: {0} Runs are still followed by polling.', described.message));
}

/**
 * The machine-scoped settings (package.json) naming the events queue and the datastore whose key
 * reads it. Only the user's own values count, never a workspace's or folder's: a repository's
 * settings must not make the listener read, delete and move the messages of a queue of the user's
 * storage with the user's sign-in, or fetch a datastore's account key for it.
 */
function settings(): { queue: string; datastore: string } {
  const configuration = vscode.workspace.getConfiguration('azureml.events');
  const userValue = (name: string): string => {
    const value = configuration.inspect<unknown>(name)?.globalValue;
    return typeof value === 'string' ? value.trim() : '';
  };
  return { queue: userValue('queue'), datastore: userValue('datastore') };
}

/**
 * Receives the active workspace's events from a storage queue while a connection is live: the
 * local workspace's own queue (when it publishes one), or the queue the user's azureml.events.queue
 * setting names, with the user's sign-in or a datastore's key. Restarts when the connection, the
 * workspace or the settings change. Activation starts nothing: it waits for a connection.
 */
export class WorkspaceEventListener implements vscode.Disposable {
  private controller: AbortController | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private current: ListeningTo | undefined;
  private target: { connection: Connection; key: string } | undefined;
  private readonly listeningChanged = new vscode.EventEmitter<ListeningTo | undefined>();
  /** For tests: fires when it starts receiving (or stops). */
  readonly onDidChangeListening = this.listeningChanged.event;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly handle: (event: WorkspaceEvent) => Promise<void>,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      connections.onDidConnect(() => this.restart()),
      connections.onDidChangeConnection(() => this.restart()),
      connections.onDidChangeActiveWorkspace(() => this.restart()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('azureml.events')) this.restart();
      }),
    ];
  }

  get listeningTo(): ListeningTo | undefined {
    return this.current;
  }

  private restart(): void {
    const connection = this.connections.liveConnection;
    const workspace = this.connections.activeWorkspace;
    // Connecting fires several changes at once: one start for them all.
    const target = JSON.stringify([workspace, settings()]);
    if (this.controller && connection === this.target?.connection && target === this.target?.key) return;
    this.stop();
    this.target = connection ? { connection, key: target } : undefined;
    if (!connection || !workspace) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.listen(connection, workspace, controller.signal).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      this.log.error(vscode.l10n.t('Workspace events are not received'), error);
      warnNotReceived(error, connection);
    });
  }

  private async open(sdk: AzureModules, connection: Connection, workspace: ActiveWorkspace): Promise<Queues | undefined> {
    const client = connection.workspaceClient(workspace);
    if (connection instanceof LocalConnection) {
      const { eventsQueue, storageAccount } = connection.service;
      if (!eventsQueue) return undefined;
      const datastore = await client.datastores.getDefault();
      if (!datastore) return undefined;
      return sdk.openEventQueues(connection.cloud, { accountName: storageAccount, queueName: eventsQueue }, { kind: 'datastore', client, datastoreName: datastore.name });
    }
    const { queue, datastore } = settings();
    if (!queue) return undefined;
    const address = sdk.parseEventQueueSetting(queue);
    if (datastore) return sdk.openEventQueues(connection.cloud, address, { kind: 'datastore', client, datastoreName: datastore });
    const credential = connection.userCredential(workspace.tenantId);
    if (!credential) return undefined;
    return sdk.openEventQueues(connection.cloud, address, { kind: 'signIn', credential });
  }

  private async listen(connection: Connection, workspace: ActiveWorkspace, signal: AbortSignal): Promise<void> {
    const sdk = await loadAzureModules();
    const queues = await this.open(sdk, connection, workspace);
    if (!queues || signal.aborted) return;
    const listening = { queue: queues.queue.name, poisonQueue: queues.poisonQueue.name };
    this.current = listening;
    this.listeningChanged.fire(listening);
    this.log.info(vscode.l10n.t('Receiving workspace events from queue {0}.', listening.queue));
    let failing = false;
    await sdk.receiveEvents({
      queue: queues.queue,
      poisonQueue: queues.poisonQueue,
      signal,
      // Quicker than a followed run's polls at their slowest (10 s), so events end them first.
      idleWaitMs: [500, 5000],
      handle: (event) => this.handle(event),
      onPoisoned: (message) => {
        const text = vscode.l10n.t('An event in queue {0} could not be read or handled after 5 deliveries; it was moved to queue {1}: {2}', listening.queue, message.poisonQueue, message.reason);
        this.log.warn(text);
        void vscode.window.showWarningMessage(text);
      },
      onReceiveError: (error) => {
        this.log.warn(vscode.l10n.t('Could not receive workspace events from queue {0}: {1}', listening.queue, error.message));
        // Once per outage, not once per retry.
        if (failing) return;
        failing = true;
        warnNotReceived(error, connection);
      },
      onReceiveRecovered: () => {
        // The next outage warns again.
        failing = false;
        this.log.info(vscode.l10n.t('Receiving workspace events from queue {0} again.', listening.queue));
      },
    });
  }

  private stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    if (this.current) {
      this.current = undefined;
      this.listeningChanged.fire(undefined);
    }
  }

  dispose(): void {
    this.stop();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.listeningChanged.dispose();
  }
}
