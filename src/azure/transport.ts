import * as l10n from '@vscode/l10n';
import {
  createDefaultHttpClient, RestError, tracingPolicyName, type PipelinePolicy, type PipelineRequest, type PipelineResponse, type SendRequest,
} from '@azure/core-rest-pipeline';
import { AzureMlError, toAzureMlError } from './errors';
import { bypassesProxy, clearProxyRoutes, route } from './networkRoute';
import { retryAfterMs } from './retryGaps';
import { defaultNetworkSettings, networkSettingsFromEnvironment, type CallKind, type NetworkSettings } from './networkSettings';
import { monitoredStream, ProgressWatchdog, slicedBody } from './progressWatchdog';

export { bypassesProxy } from './networkRoute';

/**
 * The one place that decides how requests reach the network. Every client (Azure ML / ARM,
 * storage, identity, the raw log reads) sends through `transportPolicy`, which for each attempt:
 * - picks the route: through the proxy unless the host is loopback or in the no-proxy list;
 * - trusts the extra certificate authorities, and on proxied requests honours strict SSL off;
 * - fails a request that makes no progress for the timeout of its kind, with a message that
 *   names the service, and honours the caller's abort signal at once.
 * The settings are read per request, so a changed `http.proxy` applies to clients made before.
 */
let activeSettings: NetworkSettings = initialSettings();

function initialSettings(): NetworkSettings {
  try {
    return networkSettingsFromEnvironment(process.env);
  } catch {
    // A bad environment is reported by whoever applies it (the CLI); requests go direct meanwhile.
    return defaultNetworkSettings;
  }
}

/** Why the settings given could not be used: every request fails with it until they are fixed. */
let settingsError: AzureMlError | undefined;

/** Replaces the network settings of every client, existing ones included. */
export function useNetworkSettings(settings: NetworkSettings): void {
  activeSettings = settings;
  settingsError = undefined;
  clearProxyRoutes();
}

/**
 * Settings that can't be used (a malformed proxy URL, an unreadable CA file): rather than
 * going around the user's proxy, every request fails with their message until they are fixed.
 */
export function refuseNetworkRequests(error: unknown): void {
  settingsError = toAzureMlError(error);
}

export function currentNetworkSettings(): NetworkSettings {
  return activeSettings;
}

export const transportPolicyName = 'azmlTransportPolicy';

/** Names the service behind a URL for messages ("Azure Resource Manager"). */
export type ServiceName = string | ((url: string) => string);

/** Transfers: a body that is a stream or bytes, or an answer read as a stream. */
export function callKindOf(request: PipelineRequest): CallKind {
  if (request.streamResponseStatusCodes && request.streamResponseStatusCodes.size > 0) return 'transfer';
  const body = request.body;
  if (body === undefined || body === null || typeof body === 'string') return 'metadata';
  return 'transfer';
}

/** Whether a request to `url` would go through the proxy, with the settings in use. */
export function routesThroughProxy(url: string): boolean {
  return activeSettings.proxyUrl !== undefined && !bypassesProxy(url, activeSettings.noProxy);
}

const untrustedCertificateCodes = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
]);

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return l10n.t('the service');
  }
}

function serviceNameFor(service: ServiceName, url: string): string {
  return typeof service === 'function' ? service(url) : service;
}

export function noAnswerError(service: string, url: string, timeoutMs: number): AzureMlError {
  const wholeSeconds = Math.round(timeoutMs / 1000);
  const seconds = timeoutMs < 1000 ? l10n.t('{0} ms', timeoutMs) : wholeSeconds === 1 ? l10n.t('1 second') : l10n.t('{0} seconds', wholeSeconds);
  return new AzureMlError(
    l10n.t('{0} ({1}) stopped answering: nothing arrived for {2}. Check your network connection and proxy settings (http.proxy, HTTPS_PROXY), then try again.', service, hostOf(url), seconds),
    undefined, 'ServiceNotAnswering');
}

function untrustedCertificateError(service: string, url: string, code: string): AzureMlError {
  return new AzureMlError(
    l10n.t('The certificate of {0} ({1}) is not trusted ({2}). If your network uses its own certificate authority, set NODE_EXTRA_CA_CERTS to a PEM file with it and restart.',
      service, hostOf(url), code),
    undefined, 'UntrustedCertificate');
}

/** What one attempt of a request was answered: its status and Retry-After in ms (0 when absent). */
export type AttemptObserver = (status: number, retryAfterMs: number) => void;

const attemptObservers = new WeakMap<object, AttemptObserver>();

/**
 * Reports the answer of every attempt (retries included, which the caller never sees) of the
 * requests sent with `signal`: how the transfer engine learns it is being throttled.
 */
export function observeAttempts(signal: AbortSignal, observer: AttemptObserver): void {
  attemptObservers.set(signal, observer);
}

/**
 * Reads an answer the caller wants whole, as the SDK's HTTP client would (UTF-8 text, the same
 * error when it is cut off), but counting each chunk that arrives as progress: a large answer
 * still arriving when the timeout runs out is not one that stopped.
 */
function readWhole(stream: NodeJS.ReadableStream, onProgress: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const cutOff = (error: Error): void => {
      // eslint-disable-next-line no-restricted-syntax -- the SDK's own words, which the retries recognise
      reject(error.name === 'AbortError' ? error : new RestError(`Error reading response as text: ${error.message}`, { code: RestError.PARSE_ERROR }));
    };
    stream.on('data', (chunk: Buffer | string) => {
      onProgress();
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.once('error', cutOff);
    // Closed before its end, with no error said: cut off all the same (after 'end', this does nothing).
    // eslint-disable-next-line no-restricted-syntax -- Node's word for it, as on a socket that closed
    stream.once('close', () => cutOff(new Error('aborted')));
  });
}

async function sendWithWatchdog(
  request: PipelineRequest,
  settings: NetworkSettings,
  service: ServiceName,
  next: SendRequest,
): Promise<PipelineResponse> {
  if (settingsError) throw settingsError;
  const timeoutMs = settings.noProgressTimeoutMs[callKindOf(request)];
  const url = request.url;
  const watchdog = new ProgressWatchdog(timeoutMs, request.abortSignal, () => noAnswerError(serviceNameFor(service, url), url, timeoutMs));
  const callerSignal = request.abortSignal;
  const callerUploadProgress = request.onUploadProgress;
  const callerBody = request.body;
  const callerStreamStatuses = request.streamResponseStatusCodes;
  // An answer wanted whole is read here rather than by the HTTP client, unseen by the watchdog.
  const readsWhole = !callerStreamStatuses || callerStreamStatuses.size === 0;
  slicedBody(request);
  request.abortSignal = watchdog.signal;
  request.onUploadProgress = (progress) => {
    watchdog.progress();
    callerUploadProgress?.(progress);
  };
  // The HTTP client hands over every answer as a stream (whatever its status), read below.
  if (readsWhole) request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY]);
  try {
    const sending = route(request, settings, next);
    sending.catch(() => undefined);
    const response = await Promise.race([sending, watchdog.ended]);
    if (callerSignal) {
      const retryAfter = response.headers.get('retry-after');
      attemptObservers.get(callerSignal)?.(response.status, retryAfter ? retryAfterMs(retryAfter, 0) : 0);
    }
    if (readsWhole) {
      const stream = response.readableStreamBody;
      delete response.readableStreamBody;
      if (stream) {
        watchdog.progress();
        const reading = readWhole(stream, () => watchdog.progress());
        reading.catch(() => undefined);
        response.bodyAsText = await Promise.race([reading, watchdog.ended]);
      }
      watchdog.stop();
    } else if (response.readableStreamBody) {
      watchdog.progress();
      const body = monitoredStream(response.readableStreamBody, () => watchdog.progress());
      watchdog.watch(body);
      response.readableStreamBody = body;
    } else {
      watchdog.stop();
    }
    return response;
  } catch (e) {
    watchdog.stop();
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && untrustedCertificateCodes.has(code)) {
      throw untrustedCertificateError(serviceNameFor(service, url), url, code);
    }
    throw e;
  } finally {
    // The retry policy holds this same request: it must see the caller's signal again.
    request.abortSignal = callerSignal;
    request.onUploadProgress = callerUploadProgress;
    request.streamResponseStatusCodes = callerStreamStatuses;
    // A retry sends the caller's bytes again, not the slices this attempt consumed.
    request.body = callerBody;
  }
}

/**
 * The transport of every attempt. Added after the retry phase (per attempt, per redirect),
 * so each try gets its own timeout and its final URL its own route.
 */
export function transportPolicy(service: ServiceName): PipelinePolicy {
  return {
    name: transportPolicyName,
    sendRequest: (request, next) => sendWithWatchdog(request, activeSettings, service, next),
  };
}

/** For clients configured through options (identity): the transport as an additional policy. */
export function transportClientOptions(service: ServiceName): { additionalPolicies: Array<{ policy: PipelinePolicy; position: 'perRetry' }> } {
  return { additionalPolicies: [{ policy: transportPolicy(service), position: 'perRetry' }] };
}

interface CorePipeline {
  addPolicy(policy: PipelinePolicy, options?: { phase?: 'Sign' }): void;
  removePolicy(options: { name: string }): PipelinePolicy[];
  getOrderedPolicies(): PipelinePolicy[];
}

interface StorageClientInternals {
  /** Blob: the core-client ServiceClient; file share: a holder of one (`client`); queue: one in `queuesClient`. */
  storageClientContext?: { pipeline?: CorePipeline; client?: { pipeline?: CorePipeline }; queuesClient?: { pipeline?: CorePipeline } };
}

function storagePipelineOf(client: object): CorePipeline {
  const context = (client as StorageClientInternals).storageClientContext;
  const pipeline = context?.pipeline ?? context?.client?.pipeline ?? context?.queuesClient?.pipeline;
  if (!pipeline) throw new AzureMlError(l10n.t('This storage SDK version has no pipeline to add the network settings to.'), undefined, 'UnsupportedSdk');
  return pipeline;
}

/**
 * Adds the transport to a storage client's pipeline. Storage clients take no additional
 * policies; their core pipeline (shared by the clients made from one another) is protected in
 * the pinned SDKs, so it is reached here once, by name.
 */
export function withStorageTransport<T extends object>(client: T, service: ServiceName): T {
  withStoragePolicy(client, transportPolicy(service));
  // Nothing here records traces, yet the SDK's tracing policy parses and redacts every request's
  // URL for a span that is never made: for a transfer of small files, a tenth of its own CPU.
  storagePipelineOf(client).removePolicy({ name: tracingPolicyName });
  return client;
}

/**
 * Adds a policy to a storage client's pipeline (once by name), after those already in its sign
 * phase (the account key's signature): add others before the transport, which must stay last.
 */
export function withStoragePolicy<T extends object>(client: T, policy: PipelinePolicy): T {
  const pipeline = storagePipelineOf(client);
  if (!pipeline.getOrderedPolicies().some((p) => p.name === policy.name)) {
    pipeline.addPolicy(policy, { phase: 'Sign' });
  }
  return client;
}

let plainHttpClient: ReturnType<typeof createDefaultHttpClient> | undefined;

/** One request with no client around it (a SAS URL read), through the same transport. */
export function sendPlainRequest(request: PipelineRequest, service: ServiceName): Promise<PipelineResponse> {
  plainHttpClient ??= createDefaultHttpClient();
  const client = plainHttpClient;
  return transportPolicy(service).sendRequest(request, (r) => client.sendRequest(r));
}
