import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import { QueueClient, StorageSharedKeyCredential } from '@azure/storage-queue';
import { storageAccountUrl, type Cloud } from './cloud';
import { storageAccountNamePattern } from './datastoreStorage';
import { AzureMlError } from './errors';
import { withStorageTransport } from './transport';
import { mayReceiveStorageCredential } from './trustedHosts';
import { isEventsQueueName } from '../core/events/queueName';
import { poisonQueueName } from '../core/events/eventQueueReceiver';
import type { WorkspaceClient } from './workspaceClient';

/** Where the workspace's events arrive: the `azureml.events.queue` setting, `<storage account>/<queue>`. */
export interface EventQueueAddress {
  accountName: string;
  queueName: string;
}

export type EventQueueAuth =
  | { kind: 'signIn'; credential: TokenCredential }
  /** The account key of a datastore of the workspace on the same storage account. */
  | { kind: 'datastore'; client: WorkspaceClient; datastoreName: string };

export interface EventQueues {
  queue: QueueClient;
  poisonQueue: QueueClient;
}

/** Reads `<storage account>/<queue>`; throws one message saying what is wrong and how to write it. */
export function parseEventQueueSetting(value: string): EventQueueAddress {
  const match = /^\s*([^/\s]+)\/([^/\s]+)\s*$/.exec(value);
  const accountName = match?.[1] ?? '';
  const queueName = match?.[2] ?? '';
  if (!match || !storageAccountNamePattern.test(accountName) || !isEventsQueueName(queueName)) {
    throw new AzureMlError(l10n.t('The setting azureml.events.queue is "{0}"; it takes <storage account>/<queue>, for example mystorage/azureml-events: an account name of 3 to 24 lower-case letters and digits, and a queue name of 3 to 56 lower-case letters, digits and single hyphens.', value), undefined, 'InvalidEventsQueueSetting');
  }
  return { accountName, queueName };
}

async function credentialFor(address: EventQueueAddress, auth: EventQueueAuth): Promise<TokenCredential | StorageSharedKeyCredential> {
  if (auth.kind === 'signIn') return auth.credential;
  const datastore = await auth.client.datastores.get(auth.datastoreName);
  if (datastore.accountName !== address.accountName) {
    throw new AzureMlError(l10n.t('Datastore "{0}" is on storage account "{1}", not on "{2}" where the events queue is: name a datastore of that account in azureml.events.datastore, or leave it empty to use your sign-in.',
      datastore.name, datastore.accountName ?? '', address.accountName), undefined, 'EventsDatastoreMismatch');
  }
  const secrets = await auth.client.datastores.listSecrets(datastore.name, { accountKey: true });
  if (secrets.secretsType !== 'AccountKey' || !secrets.key) {
    throw new AzureMlError(l10n.t('Datastore "{0}" holds no account key, which the events queue needs: name a datastore registered with an account key in azureml.events.datastore, or leave it empty to use your sign-in.', datastore.name), undefined, 'EventsDatastoreWithoutKey');
  }
  return new StorageSharedKeyCredential(address.accountName, secrets.key);
}

/**
 * The events queue and its poison queue, on the storage account the setting names. The
 * credential goes there only when that is Azure Storage of the cloud (or the local workspace's
 * loopback Azurite).
 */
export async function openEventQueues(cloud: Cloud, address: EventQueueAddress, auth: EventQueueAuth): Promise<EventQueues> {
  const accountUrl = storageAccountUrl(cloud, address.accountName, 'queue');
  if (!mayReceiveStorageCredential(cloud, accountUrl)) {
    throw new AzureMlError(l10n.t('The events queue would be reached at {0}, which is not Azure Storage of {1}: nothing was sent to it.', accountUrl, cloud.displayName), undefined, 'UntrustedStorageEndpoint');
  }
  const credential = await credentialFor(address, auth);
  const open = (name: string): QueueClient => withStorageTransport(new QueueClient(`${accountUrl}/${name}`, credential), l10n.t('Azure Queue Storage'));
  return { queue: open(address.queueName), poisonQueue: open(poisonQueueName(address.queueName)) };
}
