import * as l10n from '@vscode/l10n';
import { AzureMlError } from './errors';
import { retryAfterMs, wait as pause } from './retryGaps';
import { sendJson, type AbortSignalLike, type RequestSender } from './serviceCall';

export interface LongRunningOptions {
  abortSignal?: AbortSignalLike;
  /** Called after each poll that found the operation still under way, with the time waited so far. */
  onWaiting?: (elapsedMs: number) => void;
  /** How long to wait in all before giving up (the operation may still finish on its own). */
  maxWaitMs?: number;
}

/** Between polls: what Retry-After asks, within these bounds. */
const shortestPollMs = 500;
const longestPollMs = 30_000;

/**
 * `DELETE url` as an ARM long-running operation: 200/204 is done; 202 gives a Location (or
 * Azure-AsyncOperation) polled, through the same pipeline (so its host is checked like any
 * other), until it stops answering 202 or reports a final status.
 */
export async function deleteAndWait(sender: RequestSender, url: string, what: string, options: LongRunningOptions = {}): Promise<void> {
  const started = Date.now();
  const maxWaitMs = options.maxWaitMs ?? 30 * 60_000;
  const signal = options.abortSignal;
  let response = await sendJson<{ status?: string; error?: { message?: string } }>(sender, { method: 'DELETE', url, ...(signal ? { abortSignal: signal } : {}) });
  const pollUrl = response.headers.get('azure-asyncoperation') ?? response.headers.get('location');
  for (let poll = 0; response.status === 202 || isRunning(response.body?.status); poll++) {
    if (!pollUrl) return;
    const elapsed = Date.now() - started;
    if (elapsed > maxWaitMs) {
      throw new AzureMlError(l10n.t('Deleting {0} is still under way after {1} minutes; it may yet finish: look again later.', what, Math.round(elapsed / 60_000)), 504, 'OperationStillRunning');
    }
    options.onWaiting?.(elapsed);
    const wait = Math.min(longestPollMs, Math.max(shortestPollMs, retryAfterMs(response.headers.get('retry-after'), Math.min(poll, 4))));
    await pause(wait, signal);
    response = await sendJson(sender, { method: 'GET', url: pollUrl, ...(signal ? { abortSignal: signal } : {}) });
    const status = response.body?.status;
    if (status === 'Failed' || status === 'Canceled') {
      throw new AzureMlError(l10n.t('Deleting {0} did not finish: {1}', what, response.body?.error?.message ?? status), undefined, 'OperationFailed');
    }
  }
}

function isRunning(status: string | undefined): boolean {
  return status === 'InProgress' || status === 'Running' || status === 'Deleting' || status === 'Accepted';
}
