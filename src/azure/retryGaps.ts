import * as l10n from '@vscode/l10n';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import type { HttpOperationResponse, RequestPolicyFactory, WebResource } from '@azure/storage-blob';
import { abortError, AzureMlError } from './errors';

/** Extra tries of one request beyond the storage SDK's own retries. */
const maxExtraRetries = 3;
/** A Retry-After longer than this is not waited for: the request fails and says why. */
const longestRetryAfterMs = 60_000;

type AbortSignalLike = NonNullable<WebResource['abortSignal']>;

/** `Retry-After` in milliseconds (seconds or an HTTP date); a growing default when absent. */
export function retryAfterMs(header: string | undefined, retry: number, now = Date.now()): number {
  if (header !== undefined && header.trim() !== '') {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return 1000 * 2 ** retry;
}

/** Waits `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function wait(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
}

interface Failure {
  status?: number;
  message?: string;
  code?: string;
  name?: string;
  response?: { headers?: { get(name: string): string | undefined } };
}

/**
 * An answer lost on its way: its body cut off mid-way ("Error reading response as text:
 * aborted"), or none at all within the no-progress timeout (ServiceNotAnswering, see
 * transport.ts). The SDKs' retry policies recognise neither (no connection error by their list).
 */
function answerLost(error: Failure): boolean {
  if (error.name === 'AbortError') return false;
  if (error.code === 'ServiceNotAnswering') return true;
  return /\b(aborted|terminated|socket hang up)\b/i.test(error.message ?? '')
    || ['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET'].includes(error.code ?? '');
}

/** One try: its answer, or why it may be tried again (with the wait the service asked for). */
type Attempt =
  | { kind: 'answered'; response: HttpOperationResponse }
  | { kind: 'again'; retryAfter: string | undefined; failed: () => HttpOperationResponse };

/**
 * What the storage SDKs' retry policy leaves out, for storage calls (all of which the engines
 * make safe to repeat): a 429 Too Many Requests (the SDKs drop the generic throttling policy for
 * their own, which ignores it), sent again after the `Retry-After` the service asked for; and an
 * answer lost on its way (cut off, or stalled past the timeout), sent again at once. A few times,
 * never after the caller's abort.
 */
export function storageRetryGaps(): RequestPolicyFactory {
  return {
    create: (next) => ({
      async sendRequest(request): Promise<HttpOperationResponse> {
        const attempt = async (): Promise<Attempt> => {
          try {
            const response = await next.sendRequest(request);
            if (response.status !== 429) return { kind: 'answered', response };
            return { kind: 'again', retryAfter: response.headers.get('retry-after') ?? '', failed: () => response };
          } catch (error) {
            const e = (error ?? {}) as Failure & { statusCode?: number };
            const fail = (): never => {
              throw error;
            };
            if (e.statusCode === 429) return { kind: 'again', retryAfter: e.response?.headers?.get('retry-after') ?? '', failed: fail };
            if (answerLost(e) && !request.abortSignal?.aborted) return { kind: 'again', retryAfter: undefined, failed: fail };
            throw error;
          }
        };
        let outcome = await attempt();
        for (let retry = 0; retry < maxExtraRetries && outcome.kind === 'again'; retry++) {
          // A lost answer is tried again at once; a 429 after the wait it asked for.
          const delay = outcome.retryAfter === undefined ? 0 : retryAfterMs(outcome.retryAfter, retry);
          if (delay > longestRetryAfterMs) break;
          await wait(delay, request.abortSignal);
          outcome = await attempt();
        }
        return outcome.kind === 'answered' ? outcome.response : outcome.failed();
      },
    }),
  };
}

/** Extra tries of a request whose answer was lost (the Azure ML / ARM pipeline). */
const maxLostAnswerRetries = 3;

/**
 * For the Azure ML / ARM pipeline: sends a request again whose answer was lost on its way (cut
 * off mid-body, or stalled past the timeout), which the SDK's default retries leave to the caller. Every request of that client is safe
 * to repeat: reads, PUTs of client-named resources (a job is named before it is sent), POSTs
 * that read or only ask (list secrets, query, cancel, a pending upload).
 */
export function lostAnswerRetryPolicy(): PipelinePolicy {
  return {
    name: 'lostAnswerRetryPolicy',
    async sendRequest(request, next) {
      for (let retry = 0; ; retry++) {
        try {
          return await next(request);
        } catch (error) {
          if (retry >= maxLostAnswerRetries || request.abortSignal?.aborted || !answerLost((error ?? {}) as Failure)) throw error;
        }
      }
    },
  };
}

/**
 * The wait a 429 or 503 asks for before the next try, in milliseconds, read as the SDK's
 * throttling retry reads it (`retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` in
 * seconds or as an HTTP date); undefined when the answer asks for none.
 */
function askedWaitMs(response: Pick<PipelineResponse, 'status' | 'headers'>): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  for (const header of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(response.headers.get(header)?.trim() || NaN);
    if (Number.isFinite(ms)) return Math.max(0, ms);
  }
  const retryAfter = response.headers.get('retry-after');
  return retryAfter?.trim() ? retryAfterMs(retryAfter, 0) : undefined;
}

/** A busy service that asks for a longer wait than anyone waits for a command. */
function waitTooLongError(status: number, waitMs: number): AzureMlError {
  return new AzureMlError(
    l10n.t('The service is busy and asks to wait {0} minutes before the next request: try again later.', Math.ceil(waitMs / 60_000)),
    status, 'RetryAfterTooLong');
}

/**
 * For the Azure ML / ARM pipeline, after its retry phase (so on every try): the SDK's
 * throttling retry waits whatever Retry-After says, an hour three times over if asked. A
 * 429 or 503 asking for more than a minute fails at once instead, saying how long.
 */
export function retryAfterLimitPolicy(): PipelinePolicy {
  return {
    name: 'retryAfterLimitPolicy',
    async sendRequest(request, next) {
      const response = await next(request);
      const waitMs = askedWaitMs(response);
      if (waitMs !== undefined && waitMs > longestRetryAfterMs) throw waitTooLongError(response.status, waitMs);
      return response;
    },
  };
}
