import * as l10n from '@vscode/l10n';
import { RestError, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { ContainerClient } from '@azure/storage-blob';

/** The version of the Blob service REST API spoken by the requests sent here. */
export const blobApiVersion = '2025-01-05';

export interface RequestSender {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

/**
 * The container client's own pipeline (credentials, retries), for the few requests the engine
 * sends itself because the SDK's per-call layers cost more than the request on hot paths.
 * `storageClientContext` is protected in @azure/storage-blob (pinned version); undefined if a
 * future version moves it, and callers then use the SDK's methods.
 */
export function pipelineOf(container: ContainerClient): RequestSender | undefined {
  const context = (container as unknown as { storageClientContext?: Partial<RequestSender> }).storageClientContext;
  return typeof context?.sendRequest === 'function' ? (context as RequestSender) : undefined;
}

/** The URL of a blob in the container, its name escaped per segment as the SDK does; a SAS stays at the end. */
export function blobUrlIn(container: ContainerClient, blobName: string): string {
  const [base, query] = splitQuery(container.url);
  const path = blobName.split('/').map(encodeURIComponent).join('/');
  return `${base.replace(/\/$/, '')}/${path}${query}`;
}

/** The container's URL with more query parameters (a SAS already there stays as it is). */
export function containerUrlWith(container: ContainerClient, parameters: Record<string, string | undefined>): string {
  // encodeURIComponent, as the SDK does ("+" for a space would be read as a plus sign).
  const query = Object.entries(parameters)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  return `${container.url}${container.url.includes('?') ? '&' : '?'}${query}`;
}

function splitQuery(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}

/** A RestError like the SDK's for a response that is not the expected status (the service's code is in `x-ms-error-code`). */
export function unexpectedResponse(what: string, request: PipelineRequest, response: PipelineResponse): RestError {
  const code = response.headers.get('x-ms-error-code') ?? undefined;
  return new RestError(l10n.t('{0} failed: {1}', what, `${response.status}${code ? ` ${code}` : ''}`), {
    statusCode: response.status, ...(code ? { code } : {}), request, response,
  });
}
