import { pipeline as pipeStreams, Readable, Transform } from 'node:stream';
import * as tls from 'node:tls';
import {
  createDefaultHttpClient, getDefaultProxySettings, proxyPolicy,
  type PipelinePolicy, type PipelineRequest, type PipelineResponse, type SendRequest,
} from '@azure/core-rest-pipeline';
import { AzureMlError, toAzureMlError } from './errors';
import { defaultNetworkSettings, networkSettingsFromEnvironment, type CallKind, type NetworkSettings } from './networkSettings';

/**
 * The one place that decides how requests reach the network. Every client (Azure ML / ARM,
 * storage, identity, the raw log reads) sends through `transportPolicy`, which for each attempt:
 * - picks the route: through the proxy unless the host is loopback or in the no-proxy list;
 * - trusts the extra certificate authorities, and on proxied requests honours strict SSL off;
 * - fails a request that makes no progress for the timeout of its kind, with a message that
 *   names the service, and honours the caller's abort signal at once.
 * The settings are read per request, so a changed `http.proxy` applies to clients made before.
 */
type AbortSignalLike = NonNullable<PipelineRequest['abortSignal']>;

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
  proxyRoutes.clear();
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

function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Whether a request to `url` goes around the proxy. */
export function bypassesProxy(url: string, noProxy: readonly string[]): boolean {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(host)) return true;
  return noProxy.some((raw) => {
    let entry = raw.trim().toLowerCase();
    if (entry === '*') return true;
    const portMatch = /^(.*):(\d+)$/.exec(entry);
    if (portMatch && !entry.endsWith(']')) {
      if (portMatch[2] !== defaultPort(parsed)) return false;
      entry = portMatch[1]!;
    }
    entry = entry.replace(/^\*/, '').replace(/^\[|\]$/g, '');
    if (entry.startsWith('.')) return host.endsWith(entry) || host === entry.slice(1);
    return host === entry;
  });
}

/** Whether a request to `url` would go through the proxy, with the settings in use. */
export function routesThroughProxy(url: string): boolean {
  return activeSettings.proxyUrl !== undefined && !bypassesProxy(url, activeSettings.noProxy);
}

/** The SDK's own proxy policy, one per proxy URL (it keeps the proxy agents with their sockets). */
const proxyRoutes = new Map<string, PipelinePolicy>();

function proxyRoute(proxyUrl: string): PipelinePolicy {
  let route = proxyRoutes.get(proxyUrl);
  if (!route) {
    const settings = getDefaultProxySettings(proxyUrl);
    if (!settings) throw new AzureMlError('The proxy setting is not a URL.', undefined, 'InvalidProxy');
    // An empty list: whether to bypass is decided here, not by the SDK's NO_PROXY reading.
    route = proxyPolicy(settings, { customNoProxyList: [] });
    proxyRoutes.set(proxyUrl, route);
  }
  return route;
}

function trustedCertificates(extra: readonly string[]): string[] | undefined {
  if (extra.length === 0) return undefined;
  // `ca` replaces Node's store rather than adding to it, so the defaults come along.
  const defaults = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates?.('default') ?? tls.rootCertificates;
  return [...defaults, ...extra];
}

/** Sets the route (proxy or direct) and TLS trust of one attempt; `send` continues with it. */
function route(request: PipelineRequest, settings: NetworkSettings, send: SendRequest): Promise<PipelineResponse> {
  // A proxy agent set from HTTPS_PROXY by the SDK's default policy is replaced by ours.
  request.agent = undefined;
  const ca = trustedCertificates(settings.extraCaCertificates);
  const proxied = settings.proxyUrl !== undefined && !bypassesProxy(request.url, settings.noProxy);
  const overrides: Record<string, unknown> = { ...request.requestOverrides };
  if (ca) overrides['ca'] = ca;
  if (proxied && !settings.proxyStrictSsl) overrides['rejectUnauthorized'] = false;
  if (Object.keys(overrides).length > 0) request.requestOverrides = overrides;
  if (!proxied) return send(request);
  return proxyRoute(settings.proxyUrl!).sendRequest(request, send);
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
    return 'the service';
  }
}

function serviceNameFor(service: ServiceName, url: string): string {
  return typeof service === 'function' ? service(url) : service;
}

export function noAnswerError(service: string, url: string, timeoutMs: number): AzureMlError {
  const wholeSeconds = Math.round(timeoutMs / 1000);
  const seconds = timeoutMs >= 1000 ? `${wholeSeconds} second${wholeSeconds === 1 ? '' : 's'}` : `${timeoutMs} ms`;
  return new AzureMlError(
    `${service} (${hostOf(url)}) stopped answering: nothing arrived for ${seconds}. `
    + 'Check your network connection and proxy settings (http.proxy, HTTPS_PROXY), then try again.',
    undefined, 'ServiceNotAnswering');
}

function untrustedCertificateError(service: string, url: string, code: string): AzureMlError {
  return new AzureMlError(
    `The certificate of ${service} (${hostOf(url)}) is not trusted (${code}). If your network uses its own `
    + 'certificate authority, set NODE_EXTRA_CA_CERTS to a PEM file with it and restart.',
    undefined, 'UntrustedCertificate');
}

function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}

/**
 * Fails an attempt that makes no progress for `timeoutMs`, and ends it when the caller
 * aborts. Progress: bytes sent, the answer's headers, bytes of a streamed answer.
 */
class ProgressWatchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
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

  progress(): void {
    if (this.failure) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.end(this.timeoutError()), this.timeoutMs);
  }

  /** Keeps watching a streamed answer until it ends. */
  watch(stream: NodeJS.ReadableStream & { destroy(error?: Error): void }): void {
    this.stream = stream;
    stream.once('close', () => this.stop());
    stream.once('end', () => this.stop());
    stream.once('error', () => this.stop());
  }

  stop(): void {
    clearTimeout(this.timer);
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
function monitoredStream(source: NodeJS.ReadableStream, onProgress: () => void): Transform {
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onProgress();
      callback(null, chunk);
    },
  });
  pipeStreams(source, counting, () => undefined);
  return counting;
}

const uploadSliceBytes = 256 * 1024;

/**
 * A bytes body as a stream of slices: handed over whole, it would count as sent at once, and a
 * long upload would look stalled while the socket drains it.
 */
function slicedBody(request: PipelineRequest): void {
  const body = request.body;
  if (!(body instanceof Uint8Array) || body.byteLength <= uploadSliceBytes) return;
  if (!request.headers.has('Content-Length')) request.headers.set('Content-Length', body.byteLength);
  request.body = Readable.from((function* slices() {
    for (let at = 0; at < body.byteLength; at += uploadSliceBytes) yield body.subarray(at, at + uploadSliceBytes);
  })());
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
  slicedBody(request);
  request.abortSignal = watchdog.signal;
  request.onUploadProgress = (progress) => {
    watchdog.progress();
    callerUploadProgress?.(progress);
  };
  try {
    const sending = route(request, settings, next);
    sending.catch(() => undefined);
    const response = await Promise.race([sending, watchdog.ended]);
    if (response.readableStreamBody) {
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
  getOrderedPolicies(): PipelinePolicy[];
}

interface StorageClientInternals {
  /** Blob: the core-client ServiceClient; file share: a holder of one (`client`). */
  storageClientContext?: { pipeline?: CorePipeline; client?: { pipeline?: CorePipeline } };
}

/**
 * Adds the transport to a storage client's pipeline. Storage clients take no additional
 * policies; their core pipeline (shared by the clients made from one another) is protected in
 * the pinned SDKs, so it is reached here once, by name.
 */
export function withStorageTransport<T extends object>(client: T, service: ServiceName): T {
  const context = (client as StorageClientInternals).storageClientContext;
  const pipeline = context?.pipeline ?? context?.client?.pipeline;
  if (!pipeline) throw new AzureMlError('This storage SDK version has no pipeline to add the network settings to.', undefined, 'UnsupportedSdk');
  if (!pipeline.getOrderedPolicies().some((p) => p.name === transportPolicyName)) {
    pipeline.addPolicy(transportPolicy(service), { phase: 'Sign' });
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
