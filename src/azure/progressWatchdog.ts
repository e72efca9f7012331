import { pipeline as pipeStreams, Readable, Transform } from 'node:stream';
import type { PipelineRequest } from '@azure/core-rest-pipeline';
import { abortError } from './errors';

type AbortSignalLike = NonNullable<PipelineRequest['abortSignal']>;

/**
 * Fails an attempt that makes no progress for `timeoutMs`, and ends it when the caller
 * aborts. Progress: bytes sent, the answer's headers, bytes of the answer (streamed to the
 * caller or read whole by the transport).
 */
export class ProgressWatchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private lastProgress = 0;
  private stopped = false;
  private failure: Error | undefined;
  private rejectEnded: ((error: Error) => void) | undefined;
  private readonly onCallerAbort = (): void => this.end(abortError());
  /** Rejects when the attempt is ended by the timeout or the caller. */
  readonly ended: Promise<never>;
  private stream: NodeJS.ReadableStream | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal: AbortSignalLike | undefined,
    private readonly timeoutError: () => Error,
  ) {
    this.ended = new Promise<never>((_, reject) => {
      this.rejectEnded = reject;
    });
    this.ended.catch(() => undefined);
    if (callerSignal?.aborted) this.end(abortError());
    else callerSignal?.addEventListener('abort', this.onCallerAbort);
    this.progress();
  }

  get signal(): AbortSignalLike {
    return this.controller.signal;
  }

  /**
   * Called for every chunk sent or received: it only notes the time. The one timer checks,
   * when it fires, how long it has really been, and waits the rest.
   */
  progress(): void {
    if (this.failure || this.stopped) return;
    this.lastProgress = performance.now();
    if (this.timer === undefined) this.arm(this.timeoutMs);
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => {
      const idle = performance.now() - this.lastProgress;
      if (idle >= this.timeoutMs) this.end(this.timeoutError());
      else this.arm(this.timeoutMs - idle);
    }, delayMs);
  }

  /** Keeps watching a streamed answer until it ends. */
  watch(stream: NodeJS.ReadableStream & { destroy(error?: Error): void }): void {
    this.stream = stream;
    stream.once('close', () => this.stop());
    stream.once('end', () => this.stop());
    stream.once('error', () => this.stop());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private end(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.stop();
    this.rejectEnded?.(error);
    this.controller.abort();
    (this.stream as { destroy?: (e: Error) => void } | undefined)?.destroy?.(error);
  }
}

/** Counts bytes of a streamed answer as progress; an error of the source reaches the reader. */
export function monitoredStream(source: NodeJS.ReadableStream, onProgress: () => void): Transform {
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onProgress();
      callback(null, chunk);
    },
  });
  pipeStreams(source, counting, () => undefined);
  return counting;
}

const uploadSliceBytes = 512 * 1024;
/** Smaller bodies fit in the socket's buffers anyway, and slicing them costs throughput. */
const slicedBodyMinBytes = 4 * 1024 * 1024;

/**
 * A large bytes body as a stream of slices: handed over whole, it would count as sent at once,
 * and a long upload would look stalled while the socket drains it.
 */
export function slicedBody(request: PipelineRequest): void {
  const body = request.body;
  if (!(body instanceof Uint8Array) || body.byteLength <= slicedBodyMinBytes) return;
  if (!request.headers.has('Content-Length')) request.headers.set('Content-Length', body.byteLength);
  request.body = Readable.from((function* slices() {
    for (let at = 0; at < body.byteLength; at += uploadSliceBytes) yield body.subarray(at, at + uploadSliceBytes);
  })());
}
