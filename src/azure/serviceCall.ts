import * as l10n from '@vscode/l10n';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import {
  createHttpHeaders, createPipelineRequest, type HttpHeaders, type HttpMethods, type PipelineRequest,
} from '@azure/core-rest-pipeline';
import { AzureMlError, errorFromResponse, toAzureMlError } from './errors';

export type AbortSignalLike = NonNullable<PipelineRequest['abortSignal']>;

/**
 * The SDK reports an error answer whose body is not the JSON it claims to be (a gateway's
 * page) as PARSE_ERROR; what the caller needs is the HTTP status.
 */
function fromSdkError(error: unknown): AzureMlError {
  const e = error as { code?: unknown; statusCode?: unknown; response?: { bodyAsText?: string | null } } | null;
  if (e?.code === 'PARSE_ERROR' && typeof e.statusCode === 'number' && e.statusCode >= 400) {
    return errorFromResponse(e.statusCode, e.response?.bodyAsText ?? undefined);
  }
  return toAzureMlError(error);
}

/** An abort the caller asked for: it stays an AbortError, which the UI shows as nothing. */
function isAbort(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}

/** Runs an SDK call; whatever it throws reaches the caller as an AzureMlError, or an AbortError when canceled. */
export async function callService<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (e) {
    if (isAbort(e)) throw e;
    throw fromSdkError(e);
  }
}

/** What raw requests need from the SDK client: its pipeline, with its auth and retries. */
export type RequestSender = Pick<AzureMachineLearningWorkspaces, 'sendRequest'>;

export interface JsonRequest {
  method: HttpMethods;
  url: string;
  body?: unknown;
  /** Cancels the request. */
  abortSignal?: AbortSignalLike;
}

export interface JsonResponse<T> {
  status: number;
  body: T | undefined;
  headers: HttpHeaders;
}

/**
 * Sends a JSON request through the SDK client's pipeline. Non-2xx answers and transport
 * failures become AzureMlError.
 */
export async function sendJson<T>(sender: RequestSender, request: JsonRequest): Promise<JsonResponse<T>> {
  const headers = createHttpHeaders({ Accept: 'application/json' });
  if (request.body !== undefined) headers.set('Content-Type', 'application/json');
  const pipelineRequest = createPipelineRequest({
    url: request.url,
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
  });
  const response = await callService(() => sender.sendRequest(pipelineRequest));
  if (response.status < 200 || response.status > 299) {
    throw errorFromResponse(response.status, response.bodyAsText ?? undefined);
  }
  let body: T | undefined;
  if (response.bodyAsText) {
    try {
      body = JSON.parse(response.bodyAsText) as T;
    } catch {
      throw errorFromResponse(response.status, l10n.t('The service answered {0} with a body that is not JSON.', response.status));
    }
  }
  return { status: response.status, body, headers: response.headers };
}
