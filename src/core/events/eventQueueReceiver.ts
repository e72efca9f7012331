import * as l10n from '@vscode/l10n';
import type { QueueClient } from '@azure/storage-queue';
import { toAzureMlError } from '../../azure/errors';
import { wait } from '../../azure/retryGaps';
import { maskSecrets } from '../../azure/secrets';
import { Backoff } from '../backoff';
import { parseWorkspaceEvent, type WorkspaceEvent } from './workspaceEvent';

/** Event Grid's own convention, and the extension's: the 5th failed delivery is the last. */
export const defaultMaxDequeues = 5;

export const poisonQueueName = (queueName: string): string => `${queueName}-poison`;

/** A message moved to the poison queue, reported once. */
export interface PoisonedMessage {
  messageId: string;
  /** Why it could not be handled (the last attempt's error). */
  reason: string;
  /** Where it went. */
  poisonQueue: string;
}

export interface EventReceiverOptions {
  queue: QueueClient;
  /** Where a message goes that failed `maxDequeues` times; `<queue>-poison` in the same account. */
  poisonQueue: QueueClient;
  /** Acts on one event; a throw leaves the message in the queue to be tried again. */
  handle(event: WorkspaceEvent): Promise<void> | void;
  onPoisoned(message: PoisonedMessage): void;
  /** A receive that failed (the loop goes on after a pause, longer each time). */
  onReceiveError?(error: Error): void;
  /** The first receive that succeeded after one or more failed: the outage is over. */
  onReceiveRecovered?(): void;
  signal: AbortSignal;
  /** How long a received message stays hidden from other receivers while it is handled. Default 60 s. */
  visibilityTimeoutSeconds?: number;
  /** Messages per receive, at most 32. Default 16. */
  batchSize?: number;
  maxDequeues?: number;
  /** Each request to the queue gives up after this long. Default 30 s. */
  requestTimeoutMs?: number;
  /** Pauses between receives that found nothing: from the first to the second, growing. Default 1 s to 30 s. */
  idleWaitMs?: readonly [number, number];
}

interface ReceivedMessage {
  messageId: string;
  popReceipt: string;
  messageText: string;
  dequeueCount: number;
}

/**
 * Receives workspace events until `signal` aborts: each message is hidden while it is
 * handled and deleted only after it was; a message that fails to parse or to be handled
 * comes back after the visibility timeout, and after `maxDequeues` deliveries it is copied to
 * the poison queue, then deleted, and reported. A crash at any point loses nothing: an
 * undeleted message reappears.
 */
export async function receiveEvents(options: EventReceiverOptions): Promise<void> {
  const receiver = new EventQueueReceiver(options);
  await receiver.run();
}

class EventQueueReceiver {
  private readonly maxDequeues: number;
  private readonly reported = new Set<string>();
  private poisonQueueReady = false;

  constructor(private readonly options: EventReceiverOptions) {
    this.maxDequeues = options.maxDequeues ?? defaultMaxDequeues;
  }

  private requestSignal(): AbortSignal {
    return AbortSignal.any([this.options.signal, this.timeoutSignal()]);
  }

  /**
   * For what follows a handled message (its delete, its move to the poison queue): stopping
   * does not cut those short, or a message already acted on would come back and be acted on twice.
   */
  private timeoutSignal(): AbortSignal {
    return AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000);
  }

  async run(): Promise<void> {
    const [idleMin, idleMax] = this.options.idleWaitMs ?? [1000, 30_000];
    const idle = new Backoff(idleMin, idleMax, 2);
    const failing = new Backoff(1000, 60_000, 2);
    let inOutage = false;
    while (!this.options.signal.aborted) {
      let messages: ReceivedMessage[];
      try {
        messages = await this.receive();
        failing.reset();
        if (inOutage) {
          inOutage = false;
          this.options.onReceiveRecovered?.();
        }
      } catch (error) {
        if (this.options.signal.aborted) return;
        inOutage = true;
        this.options.onReceiveError?.(toAzureMlError(error));
        if (!(await this.pause(failing.currentMs))) return;
        failing.next(false);
        continue;
      }
      for (const message of messages) {
        if (this.options.signal.aborted) return;
        await this.process(message);
      }
      const idleMs = idle.next(messages.length > 0);
      if (messages.length === 0 && !(await this.pause(idleMs))) return;
    }
  }

  /** False when aborted meanwhile. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await wait(ms, this.options.signal);
      return true;
    } catch {
      return false;
    }
  }

  private async receive(): Promise<ReceivedMessage[]> {
    const answer = await this.options.queue.receiveMessages({
      numberOfMessages: Math.min(32, Math.max(1, this.options.batchSize ?? 16)),
      visibilityTimeout: this.options.visibilityTimeoutSeconds ?? 60,
      abortSignal: this.requestSignal(),
    });
    return answer.receivedMessageItems;
  }

  private async process(message: ReceivedMessage): Promise<void> {
    let failure: unknown;
    try {
      const event = parseWorkspaceEvent(message.messageText);
      await this.options.handle(event);
    } catch (error) {
      failure = error;
    }
    try {
      if (failure === undefined) {
        await this.delete(message);
      } else if (message.dequeueCount >= this.maxDequeues) {
        await this.poison(message, failure);
      }
      // Otherwise left alone: it becomes visible again after the visibility timeout.
    } catch (error) {
      // Not deleted: it comes back, and the next delivery tries again.
      if (!this.options.signal.aborted) this.options.onReceiveError?.(toAzureMlError(error));
    }
  }

  private async delete(message: ReceivedMessage): Promise<void> {
    await this.options.queue.deleteMessage(message.messageId, message.popReceipt, { abortSignal: this.timeoutSignal() });
  }

  private async poison(message: ReceivedMessage, failure: unknown): Promise<void> {
    const { poisonQueue } = this.options;
    if (!this.poisonQueueReady) {
      await poisonQueue.createIfNotExists({ abortSignal: this.timeoutSignal() });
      this.poisonQueueReady = true;
    }
    // Copied first, deleted after: a crash in between leaves a copy too many, never none.
    await poisonQueue.sendMessage(message.messageText, { messageTimeToLive: -1, abortSignal: this.timeoutSignal() });
    await this.delete(message);
    if (this.reported.has(message.messageId)) return;
    this.reported.add(message.messageId);
    // Shown in a notification: a handler's error may quote what anyone who can write to the queue wrote.
    const reason = maskSecrets(failure instanceof Error ? failure.message : String(failure));
    this.options.onPoisoned({ messageId: message.messageId, reason: reason || l10n.t('unknown error'), poisonQueue: poisonQueue.name });
  }
}
