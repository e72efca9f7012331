// Child process for the crash test: a window receiving events that dies (SIGKILL) while handling
// the RunCompleted of AZML_TEST_RUN, after receiving it and before deleting it.
import { QueueClient, StorageSharedKeyCredential } from '@azure/storage-queue';
import { poisonQueueName, receiveEvents } from '../../src/core/events/eventQueueReceiver';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { localStorageKey } from '../support/storageKey';

const endpoint = process.env['AZML_TEST_QUEUE_ENDPOINT']!;
const queueName = process.env['AZML_TEST_QUEUE']!;
const runId = process.env['AZML_TEST_RUN']!;
const credential = new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(process.env['AZML_TEST_DATA_DIR']!));

void receiveEvents({
  queue: new QueueClient(`${endpoint}/${queueName}`, credential),
  poisonQueue: new QueueClient(`${endpoint}/${poisonQueueName(queueName)}`, credential),
  signal: new AbortController().signal,
  visibilityTimeoutSeconds: 2,
  idleWaitMs: [100, 200],
  handle: (event) => {
    process.stdout.write(`${event.id}\n`);
    if (event.kind === 'run' && event.runId === runId && event.type === 'RunCompleted') process.kill(process.pid, 'SIGKILL');
  },
  onPoisoned: () => undefined,
});
