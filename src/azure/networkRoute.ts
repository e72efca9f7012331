import * as l10n from '@vscode/l10n';
import * as https from 'node:https';
import * as tls from 'node:tls';
import {
  getDefaultProxySettings, proxyPolicy, type PipelinePolicy, type PipelineRequest, type PipelineResponse, type SendRequest,
} from '@azure/core-rest-pipeline';
import { AzureMlError } from './errors';
import type { NetworkSettings } from './networkSettings';

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

/** The SDK's own proxy policy, one per proxy URL (it keeps the proxy agents with their sockets). */
const proxyRoutes = new Map<string, PipelinePolicy>();

/** Forgets the proxy agents (and their sockets' reuse) after the settings changed. */
export function clearProxyRoutes(): void {
  proxyRoutes.clear();
}

function proxyRoute(proxyUrl: string): PipelinePolicy {
  let route = proxyRoutes.get(proxyUrl);
  if (!route) {
    const settings = getDefaultProxySettings(proxyUrl);
    if (!settings) throw new AzureMlError(l10n.t('The proxy setting is not a URL.'), undefined, 'InvalidProxy');
    // An empty list: whether to bypass is decided here, not by the SDK's NO_PROXY reading.
    route = proxyPolicy(settings, { customNoProxyList: [] });
    proxyRoutes.set(proxyUrl, route);
  }
  return route;
}

/** Trust in certificate authorities besides Node's own: one TLS context, and the agent of direct connections made with it. */
interface ExtraTrust {
  secureContext: tls.SecureContext;
  /**
   * Its own pool of kept-alive connections and TLS sessions, so none made under other trust is
   * reused (a resumed session is not verified again).
   */
  directAgent: https.Agent;
}

/** One per list of extra certificate authorities (a settings change brings a new list). */
const extraTrusts = new WeakMap<readonly string[], ExtraTrust>();

/**
 * The certificate authorities to trust, made into a TLS context once. Given per request as `ca`
 * instead, they would cost every request a pool key of all their PEM text (hundreds of KB with a
 * system bundle) and every new connection a parse of them all.
 */
function extraTrust(extra: readonly string[]): ExtraTrust | undefined {
  if (extra.length === 0) return undefined;
  let trust = extraTrusts.get(extra);
  if (!trust) {
    // `ca` replaces Node's store rather than adding to it, so the defaults come along.
    const defaults = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates?.('default') ?? tls.rootCertificates;
    const secureContext = tls.createSecureContext({ ca: [...defaults, ...extra] });
    trust = { secureContext, directAgent: new https.Agent({ keepAlive: true, secureContext }) };
    extraTrusts.set(extra, trust);
  }
  return trust;
}

/** Sets the route (proxy or direct) and TLS trust of one attempt; `send` continues with it. */
export function route(request: PipelineRequest, settings: NetworkSettings, send: SendRequest): Promise<PipelineResponse> {
  // A proxy agent set from HTTPS_PROXY by the SDK's default policy is replaced by ours.
  request.agent = undefined;
  const trust = request.url.startsWith('https:') ? extraTrust(settings.extraCaCertificates) : undefined;
  const proxied = settings.proxyUrl !== undefined && !bypassesProxy(request.url, settings.noProxy);
  const overrides: Record<string, unknown> = { ...request.requestOverrides };
  if (trust) overrides['secureContext'] = trust.secureContext;
  if (trust && !proxied) request.agent = trust.directAgent;
  if (proxied && !settings.proxyStrictSsl) overrides['rejectUnauthorized'] = false;
  if (Object.keys(overrides).length > 0) request.requestOverrides = overrides;
  if (!proxied) return send(request);
  return proxyRoute(settings.proxyUrl!).sendRequest(request, send);
}
