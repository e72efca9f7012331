import { ApiError } from '../http/apiError';
import type { StorageTargets } from './layout';

/**
 * How long the local storage may take to create the containers or shares one request needs: well
 * within the clients' own 30 s wait for an answer, so that they get this service's 503, which says
 * what was saved, rather than a timeout of their own.
 */
export const defaultStorageTimeoutMs = 20_000;

/** Creates containers and shares in the local storage; it should stop when `signal` aborts. */
export type CreateStorageTargets = (targets: StorageTargets, signal: AbortSignal) => Promise<void>;

/**
 * Makes sure the containers and shares in `targets` exist, or fails with an ApiError that names them
 * and the storage services they live in, and ends with `stateNote`: what the request changed (or did not) all the same.
 */
export type StorageNeeded = (targets: StorageTargets, stateNote: string) => Promise<void>;

/** Rejects as soon as `signal` aborts, even when `work` ignores it. */
function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A storage error's code (ECONNREFUSED, ContainerBeingDeleted…); never its message, which may quote a request. */
function codeOf(error: unknown): string | undefined {
  const failure = error as { code?: unknown; details?: { errorCode?: unknown } } | undefined;
  const code = failure?.details?.errorCode ?? failure?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** "the containers 'a', 'b' (blob service http://…) and the file share 'c' (file service http://…)" */
function describeTargets(targets: StorageTargets, endpoints: { blobEndpoint: string; fileEndpoint: string }): string {
  const part = (noun: string, names: string[], service: string): string | undefined => (names.length === 0
    ? undefined
    : `the ${noun}${names.length > 1 ? 's' : ''} ${names.map((name) => `'${name}'`).join(', ')} (${service})`);
  return [
    part('container', targets.blobContainers, `blob service ${endpoints.blobEndpoint}`),
    part('file share', targets.fileShares, `file service ${endpoints.fileEndpoint}`),
  ].filter((text) => text !== undefined).join(' and ');
}

/**
 * Gives the storage calls of one request a deadline of `timeoutMs`: then they are aborted and the
 * request fails with 503, instead of waiting for a stalled storage process forever.
 */
export function storageNeededWithDeadline(
  create: CreateStorageTargets, endpoints: { blobEndpoint: string; fileEndpoint: string }, timeoutMs: number,
): StorageNeeded {
  return async (targets, stateNote) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      await untilAborted(create(targets, deadline), deadline);
    } catch (error) {
      const what = describeTargets(targets, endpoints);
      const advice = 'Check that the local workspace\'s storage is running (restart the local workspace if it is not), then send the request again.';
      if (deadline.aborted) {
        throw new ApiError(503, 'StorageNotResponding',
          `The local storage did not answer within ${timeoutMs / 1000} seconds while creating ${what}. ${stateNote} ${advice}`);
      }
      const code = codeOf(error);
      throw new ApiError(503, 'StorageUnavailable', `The local storage could not create ${what}${code ? ` (${code})` : ''}. ${stateNote} ${advice}`);
    }
  };
}
