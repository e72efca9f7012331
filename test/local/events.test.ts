import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { QueueClient, StorageSharedKeyCredential } from '@azure/storage-queue';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { poisonQueueName, receiveEvents, type PoisonedMessage } from '../../src/core/events/eventQueueReceiver';
import { parseWorkspaceEvent, type WorkspaceEvent } from '../../src/core/events/workspaceEvent';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { repoRoot } from '../support/repo';
import { localStorageKey } from '../support/storageKey';

const environmentId = 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest';
const unique = (prefix: string): string => `${prefix}-${Date.now()}-${randomBytes(3).toString('hex')}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function queueClient(local: StartedLocalWorkspace, name: string): QueueClient {
  return new QueueClient(`${local.connection.queueEndpoint}/${name}`, new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir)));
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** One receiving window: the events it handled, the poison reports it made. */
class Listener {
  readonly handled: WorkspaceEvent[] = [];
  readonly poisoned: PoisonedMessage[] = [];
  private readonly controller = new AbortController();
  readonly running: Promise<void>;

  constructor(queue: QueueClient, poison: QueueClient, options: { visibilityTimeoutSeconds?: number; handle?: (event: WorkspaceEvent) => void; batchSize?: number } = {}) {
    this.running = receiveEvents({
      queue,
      poisonQueue: poison,
      signal: this.controller.signal,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
      idleWaitMs: [100, 200],
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      handle: (event) => {
        options.handle?.(event);
        this.handled.push(event);
      },
      onPoisoned: (message) => this.poisoned.push(message),
    });
  }

  runEvents(runId: string): WorkspaceEvent[] {
    return this.handled.filter((e) => e.kind === 'run' && e.runId === runId);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }
}

const describeEvent = (e: WorkspaceEvent): string => (e.kind === 'run' ? `${e.type}${e.runStatus ? `:${e.runStatus}` : ''}` : e.type);

describe('workspace events through the local workspace\'s Azurite queue', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let client: WorkspaceClient;
  const queueName = 'azureml-events';
  let queue: QueueClient;
  let poison: QueueClient;

  before(async () => {
    local = await startLocalWorkspace({ eventsQueue: queueName });
    client = connectLocalWorkspace(local.connection).workspaceClient;
    queue = queueClient(local, queueName);
    poison = queueClient(local, poisonQueueName(queueName));
  });
  after(async () => {
    await local?.dispose();
  });
  afterEach(async () => {
    await queue.clearMessages();
    await poison.deleteIfExists();
  });

  const submit = (command: string): Promise<{ name: string }> =>
    client.jobs.createCommandJob({ name: unique('job'), environmentId, experimentName: 'events', command });

  it('refuses, saying what it takes, a queue name whose poison queue could not exist', () => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'local.js'), '--events-queue', 'Run_Events'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '', 'no ready line');
    assert.match(result.stderr, /--events-queue takes a queue name of 3 to 56 lower-case letters, digits and single hyphens.*got "Run_Events"/);
  });

  it('names its events queue in the ready line', () => {
    assert.equal(local.readyLine['eventsQueue'], queueName);
  });

  it('delivers a submitted run\'s RunStatusChanged events in order, then RunCompleted, each deleted once handled', async () => {
    const listener = new Listener(queue, poison);
    try {
      const job = await submit('echo hello');
      await waitUntil(() => listener.runEvents(job.name).some((e) => e.type === 'RunCompleted'), 'RunCompleted');
      const seen = listener.runEvents(job.name).map(describeEvent);
      const statuses = seen.filter((s) => s.startsWith('RunStatusChanged:')).map((s) => s.slice('RunStatusChanged:'.length));
      assert.deepEqual(statuses.slice(-1), ['Completed'], seen.join(' → '));
      assert.ok(statuses.includes('Running'), seen.join(' → '));
      const order = ['Queued', 'Preparing', 'Running', 'Finalizing', 'Completed'];
      const positions = statuses.map((s) => order.indexOf(s));
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `out of order: ${seen.join(' → ')}`);
      assert.equal(seen.at(-1), 'RunCompleted', `RunCompleted comes last: ${seen.join(' → ')}`);
      const completed = listener.runEvents(job.name).at(-1)!;
      assert.ok(completed.kind === 'run' && completed.experimentName === 'events' && completed.subject === `experiments/${completed.experimentId}/runs/${job.name}`);
    } finally {
      await listener.stop();
    }
    assert.equal((await queue.getProperties()).approximateMessagesCount, 0, 'every handled message was deleted');
  });

  it('delivers ModelRegistered when a model version is registered', async () => {
    const listener = new Listener(queue, poison);
    try {
      await client.models.createOrUpdateVersion('events-model', '3', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/m/', tags: { stage: 'test' } });
      await waitUntil(() => listener.handled.some((e) => e.kind === 'model'), 'ModelRegistered');
      const event = listener.handled.find((e) => e.kind === 'model')!;
      assert.ok(event.kind === 'model');
      assert.deepEqual([event.modelName, event.modelVersion, event.modelTags, event.subject], ['events-model', '3', { stage: 'test' }, 'models/events-model:3']);
    } finally {
      await listener.stop();
    }
  });

  it('moves a malformed message to <queue>-poison after 5 deliveries and reports it once', async () => {
    await queue.sendMessage('this is not an event');
    const listener = new Listener(queue, poison, { visibilityTimeoutSeconds: 1 });
    try {
      await waitUntil(() => listener.poisoned.length > 0, 'the poison report');
      // Another round of receives finds nothing more to report.
      await sleep(2500);
    } finally {
      await listener.stop();
    }
    assert.equal(listener.poisoned.length, 1);
    assert.equal(listener.poisoned[0]!.poisonQueue, 'azureml-events-poison');
    assert.match(listener.poisoned[0]!.reason, /neither JSON nor base64/);
    assert.equal(listener.handled.length, 0);
    assert.equal((await queue.getProperties()).approximateMessagesCount, 0, 'gone from the events queue');
    const kept = await poison.peekMessages({ numberOfMessages: 32 });
    assert.deepEqual(kept.peekedMessageItems.map((m) => m.messageText), ['this is not an event'], 'kept, unchanged, in the poison queue');
  });

  it('masks a secret in the reason it reports for a message its handler kept failing on (the reason is shown to the user)', async () => {
    const listener = new Listener(queue, poison, {
      visibilityTimeoutSeconds: 1,
      handle: () => {
        throw new Error('could not open DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=cG9pc29uLWtleQ==;');
      },
    });
    try {
      await submit('echo poisoned');
      await waitUntil(() => listener.poisoned.length > 0, 'a poison report');
    } finally {
      await listener.stop();
    }
    for (const { reason } of listener.poisoned) {
      assert.equal(reason, 'could not open DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;');
    }
    await poison.clearMessages();
    await queue.clearMessages();
  });

  it('says when an outage is over, so the next one is reported again: a queue gone, back, then gone again', async () => {
    const missing = queueClient(local, unique('outage'));
    const seen: string[] = [];
    const controller = new AbortController();
    const running = receiveEvents({
      queue: missing,
      poisonQueue: queueClient(local, poisonQueueName(missing.name)),
      signal: controller.signal,
      idleWaitMs: [100, 200],
      handle: () => undefined,
      onPoisoned: () => undefined,
      onReceiveError: (error) => seen.push(`error: ${error.message}`),
      onReceiveRecovered: () => seen.push('recovered'),
    });
    try {
      await waitUntil(() => seen.length > 0, 'the first failed receive');
      await missing.create();
      await waitUntil(() => seen.includes('recovered'), 'a receive after the queue was created');
      await missing.delete();
      await waitUntil(() => seen.at(-1)!.startsWith('error'), 'a failed receive after the queue was deleted');
    } finally {
      controller.abort();
      await running;
      await missing.deleteIfExists();
    }
    const kinds = seen.map((entry) => (entry.startsWith('error') ? 'error' : entry));
    const outages = kinds.filter((kind, i) => kind !== kinds[i - 1]);
    assert.deepEqual(outages, ['error', 'recovered', 'error'], seen.join('\n'));
    assert.equal(seen[0], 'error: The specified queue does not exist.', 'the service\'s own words, without its request id');
  });

  it('redelivers an event received by a window that crashed before deleting it: nothing is lost', async () => {
    const job = await submit('echo crash');
    // The "crashed" window: receives (hiding the messages for 2 s) and never deletes.
    const deadline = Date.now() + 60_000;
    const takenAway: string[] = [];
    while (!takenAway.some((t) => t.includes('RunCompleted')) && Date.now() < deadline) {
      const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 2 });
      takenAway.push(...receivedMessageItems.map((m) => m.messageText));
      await sleep(100);
    }
    assert.ok(takenAway.some((t) => t.includes('RunCompleted')), 'the crashed window had received RunCompleted');
    const listener = new Listener(queue, poison);
    try {
      await waitUntil(() => listener.runEvents(job.name).some((e) => e.type === 'RunCompleted'), 'the redelivered RunCompleted');
    } finally {
      await listener.stop();
    }
    const redelivered = new Set(listener.handled.map((e) => e.id));
    for (const text of takenAway) assert.ok(redelivered.has(parseWorkspaceEvent(text).id), `redelivered: ${text}`);
  });

  it('redelivers the event a receiving process was handling when it was killed: handled again, nothing lost', async () => {
    const job = await submit('echo killed');
    const child = spawn(process.execPath, ['-r', path.join(repoRoot, 'test', 'support', 'registerTs.js'), path.join(__dirname, 'eventsCrashChild.ts')], {
      env: { ...process.env, AZML_TEST_QUEUE_ENDPOINT: local.connection.queueEndpoint, AZML_TEST_DATA_DIR: local.dataDir, AZML_TEST_QUEUE: queueName, AZML_TEST_RUN: job.name },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, s) => resolve(s)));
    assert.equal(signal, 'SIGKILL', `the receiver died while handling RunCompleted (its output: ${output})`);
    const lastHandled = output.trim().split('\n').at(-1)!;

    const listener = new Listener(queue, poison);
    try {
      await waitUntil(() => listener.handled.some((e) => e.id === lastHandled), 'the redelivered RunCompleted');
    } finally {
      await listener.stop();
    }
    const event = listener.handled.find((e) => e.id === lastHandled)!;
    assert.ok(event.kind === 'run' && event.type === 'RunCompleted' && event.runId === job.name);
  });

  it('with two windows listening, each event is handled by exactly one of them', async () => {
    const first = new Listener(queue, poison, { batchSize: 2 });
    const second = new Listener(queue, poison, { batchSize: 2 });
    const jobs: string[] = [];
    try {
      for (let i = 0; i < 3; i++) jobs.push((await submit(`echo two-${i}`)).name);
      await waitUntil(() => jobs.every((name) => [...first.handled, ...second.handled].some((e) => e.kind === 'run' && e.runId === name && e.type === 'RunCompleted')), 'every RunCompleted');
      // Both still listening until every message was handled and deleted (counted: received but not yet deleted ones too).
      for (let empty = false; !empty; await sleep(100)) empty = (await queue.getProperties()).approximateMessagesCount === 0;
    } finally {
      await first.stop();
      await second.stop();
    }
    const ids = [...first.handled, ...second.handled].map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event handled twice');
    const firstIds = new Set(first.handled.map((e) => e.id));
    assert.ok(second.handled.every((e) => !firstIds.has(e.id)));
    for (const name of jobs) {
      const completions = [...first.handled, ...second.handled].filter((e) => e.kind === 'run' && e.runId === name && e.type === 'RunCompleted');
      assert.equal(completions.length, 1, `one RunCompleted for ${name}`);
      assert.ok([...first.handled, ...second.handled].some((e) => e.kind === 'run' && e.runId === name && e.runStatus === 'Running'), `Running seen for ${name}`);
    }
  });
});
