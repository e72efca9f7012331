import { randomUUID } from 'node:crypto';
import { QueueClient, StorageSharedKeyCredential } from '@azure/storage-queue';
import { eventGridEvent } from '../core/events/workspaceEvent';
import { experimentIdOf } from './workspaceApi/history/runHistory';
import type { Disposable, JobView, RegisteredVersion, WorkspaceApi } from './workspaceApi';

export interface EventPublisherOptions {
  api: WorkspaceApi;
  /** Azurite's queue endpoint, path style: `http://127.0.0.1:<port>/devstoreaccount1`. */
  queueEndpoint: string;
  account: { name: string; key: string };
  queueName: string;
  /** `/subscriptions/…/resourceGroups/…/providers/Microsoft.MachineLearningServices/workspaces/` (the topic, less the name). */
  workspacesIdPrefix: string;
  log(line: string): void;
}

export interface EventPublisher {
  /** Sends what is still pending, then stops listening. */
  stop(): Promise<void>;
}

const requestTimeoutMs = 30_000;

/**
 * Publishes the local workspace's job status changes and model registrations to an Azurite
 * queue as Event Grid-schema JSON, as an Event Grid subscription on an Azure ML workspace
 * does: RunStatusChanged on each new status, then RunCompleted when a run completed, and
 * ModelRegistered. Messages go out one at a time, in the order things happened.
 */
export async function startEventPublisher(options: EventPublisherOptions): Promise<EventPublisher> {
  const queue = new QueueClient(`${options.queueEndpoint}/${options.queueName}`, new StorageSharedKeyCredential(options.account.name, options.account.key));
  await queue.createIfNotExists({ abortSignal: AbortSignal.timeout(requestTimeoutMs) });
  const lastStatus = new Map<string, string>();
  let pending = Promise.resolve();
  const send = (event: Record<string, unknown>): void => {
    const text = JSON.stringify(event);
    pending = pending.then(async () => {
      try {
        await queue.sendMessage(text, { messageTimeToLive: -1, abortSignal: AbortSignal.timeout(requestTimeoutMs) });
      } catch (error) {
        options.log(`events: could not send ${String(event['eventType'])} for ${String(event['subject'])}: ${(error as Error).message}`);
      }
    });
  };
  const topicOf = (workspace: string): string => `${options.workspacesIdPrefix}${workspace}`;

  const onJobChanged = (job: JobView): void => {
    const key = `${job.workspace}/${job.name}`;
    if (lastStatus.get(key) === job.status) return;
    lastStatus.set(key, job.status);
    const experimentId = experimentIdOf(job.workspaceId, job.experimentName);
    const data = {
      experimentId,
      experimentName: job.experimentName,
      runId: job.name,
      runType: job.jobType,
      runTags: job.tags,
      runProperties: job.properties,
    };
    const common = { topic: topicOf(job.workspace), subject: `experiments/${experimentId}/runs/${job.name}`, time: new Date() };
    send(eventGridEvent({ ...common, id: randomUUID(), type: 'RunStatusChanged', data: { ...data, runStatus: job.status } }));
    if (job.status === 'Completed') send(eventGridEvent({ ...common, id: randomUUID(), type: 'RunCompleted', data }));
  };
  const onModelRegistered = (model: RegisteredVersion): void => {
    send(eventGridEvent({
      id: randomUUID(),
      topic: topicOf(model.workspace),
      subject: `models/${model.name}:${model.version}`,
      type: 'ModelRegistered',
      time: new Date(),
      data: { ModelName: model.name, ModelVersion: model.version, ModelTags: model.tags, ModelProperties: model.properties },
    }));
  };
  const subscriptions: Disposable[] = [options.api.jobs.onJobChanged(onJobChanged), options.api.onModelRegistered(onModelRegistered)];
  options.log(`events: publishing to queue ${options.queueName}`);
  return {
    async stop() {
      for (const subscription of subscriptions.splice(0)) subscription.dispose();
      await pending;
    },
  };
}
