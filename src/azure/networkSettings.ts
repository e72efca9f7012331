import * as l10n from '@vscode/l10n';
import { readFileSync } from 'node:fs';
import { AzureMlError } from './errors';

/**
 * What kind of work a request does, which decides how long it may go without progress:
 * a metadata call (list, get, token) answers quickly or not at all; a transfer (a block
 * uploaded, a blob streamed down) may take long, but must keep moving.
 */
export type CallKind = 'metadata' | 'transfer';

/**
 * How every client reaches the network: proxy, certificate authorities, timeouts. Plain data,
 * made by the extension from VS Code's settings and by the CLI from the environment.
 */
export interface NetworkSettings {
  /** `http://[user:password@]host:port` of the proxy every request goes through; none when undefined. */
  proxyUrl?: string;
  /**
   * Hosts reached without the proxy (`NO_PROXY` / `http.noProxy`): `host`, `.suffix` or
   * `*.suffix` (the host and its subdomains), `host:port`, or `*` for all. Loopback addresses
   * (localhost, 127.0.0.0/8, [::1]) never go through the proxy.
   */
  noProxy: readonly string[];
  /**
   * Whether TLS certificates of hosts reached through the proxy are verified (VS Code's
   * `http.proxyStrictSSL`). Direct connections are always verified.
   */
  proxyStrictSsl: boolean;
  /** PEM certificate authorities trusted besides Node's own (the contents of `NODE_EXTRA_CA_CERTS`). */
  extraCaCertificates: readonly string[];
  /** Milliseconds a request of each kind may go without a byte sent or received before it fails. */
  noProgressTimeoutMs: Readonly<Record<CallKind, number>>;
}

export const defaultNoProgressTimeoutMs: Readonly<Record<CallKind, number>> = {
  metadata: 30_000,
  transfer: 120_000,
};

export const defaultNetworkSettings: NetworkSettings = {
  noProxy: [],
  proxyStrictSsl: true,
  extraCaCertificates: [],
  noProgressTimeoutMs: defaultNoProgressTimeoutMs,
};

function environmentValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value?.trim() ? value.trim() : undefined;
}

/** `NO_PROXY`-style text (comma or space separated) as a list of entries. */
export function parseNoProxy(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).map((entry) => entry.trim()).filter((entry) => entry.length > 0);
}

/** The certificates of a PEM file, e.g. the one `NODE_EXTRA_CA_CERTS` names. */
export function readCaCertificates(file: string, source = 'NODE_EXTRA_CA_CERTS'): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AzureMlError(
      l10n.t('{0} names "{1}", which can\'t be read ({2}). Point it at a PEM file of your certificate authorities.', source, file, (e as { code?: string }).code ?? String(e)),
      undefined, 'CaCertificatesUnreadable');
  }
  const certificates = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) {
    throw new AzureMlError(
      l10n.t('{0} names "{1}", which has no PEM certificate (-----BEGIN CERTIFICATE-----) in it.', source, file),
      undefined, 'CaCertificatesUnreadable');
  }
  return certificates;
}

/** Checks a proxy URL as given by a user; one clear message (never echoing it: it may hold a password) when unusable. */
export function checkProxyUrl(proxyUrl: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(proxyUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new AzureMlError(l10n.t('{0} is not a proxy URL. Use the form http://proxy.example:8080.', source), undefined, 'InvalidProxy');
  }
  return proxyUrl;
}

/**
 * Settings from the environment, as curl and the Azure CLI read it: `HTTPS_PROXY` (else
 * `HTTP_PROXY`, `ALL_PROXY`), `NO_PROXY`, `NODE_EXTRA_CA_CERTS`. `proxyUrl` overrides the
 * environment's proxy (VS Code's `http.proxy`).
 */
export function networkSettingsFromEnvironment(
  env: NodeJS.ProcessEnv,
  overrides: { proxyUrl?: string; noProxy?: readonly string[]; proxyStrictSsl?: boolean } = {},
): NetworkSettings {
  const proxyFromEnvironment = environmentValue(env, 'HTTPS_PROXY') ?? environmentValue(env, 'HTTP_PROXY') ?? environmentValue(env, 'ALL_PROXY');
  const proxyUrl = overrides.proxyUrl?.trim()
    ? checkProxyUrl(overrides.proxyUrl.trim(), l10n.t('The http.proxy setting'))
    : proxyFromEnvironment && checkProxyUrl(proxyFromEnvironment, 'HTTPS_PROXY');
  const caFile = environmentValue(env, 'NODE_EXTRA_CA_CERTS');
  return {
    ...(proxyUrl ? { proxyUrl } : {}),
    noProxy: [...parseNoProxy(environmentValue(env, 'NO_PROXY')), ...(overrides.noProxy ?? [])],
    proxyStrictSsl: overrides.proxyStrictSsl ?? true,
    extraCaCertificates: caFile ? readCaCertificates(caFile) : [],
    noProgressTimeoutMs: defaultNoProgressTimeoutMs,
  };
}
