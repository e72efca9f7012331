import * as l10n from '@vscode/l10n';
import { maskSecrets } from './secrets';

/** An error answered by Azure ML, Azure Resource Manager or Azure Storage, or met on the way. */
export class AzureMlError extends Error {
  override readonly name = 'AzureMlError';
  constructor(
    message: string,
    /** HTTP status, when the service answered. */
    readonly status: number | undefined,
    /** The service's `error.code` (e.g. `ResourceNotFound`), or a code of ours. */
    readonly code: string,
    readonly target?: string,
  ) {
    super(maskSecrets(message));
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
  get isForbidden(): boolean {
    return this.status === 403;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; target?: string };
  code?: string;
  message?: string;
  /** MLflow's error shape: `{"error_code","message"}`. */
  error_code?: string;
}

function codeForStatus(status: number | undefined): string {
  switch (status) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 409: return 'Conflict';
    default: return status === undefined ? 'RequestFailed' : `Http${status}`;
  }
}

/** A page for a browser (a proxy's or gateway's error page), not a message for people. */
function looksLikeHtml(text: string): boolean {
  return /<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<title[\s>]/i.test(text);
}

const htmlEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML text as plain text on one line: entities decoded, runs of white space made one space. */
function plainText(html: string): string {
  return html
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity: string, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return htmlEntities[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Longer than this, a page's text is a page, not a message. */
const longestPageText = 100;

/**
 * What to say for an answer whose body is a page (HTML) or a text of several lines: the status,
 * and the page's title when it has one (else its text, when that is short), never the page itself.
 */
function pageMessage(status: number, text: string): string {
  if (looksLikeHtml(text)) {
    const title = plainText(/<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(text)?.[1] ?? '');
    if (title) return l10n.t('The service answered {0} with a page titled "{1}".', status, title.length > longestPageText ? `${title.slice(0, longestPageText - 1)}…` : title);
    const body = plainText(text.replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]*>/g, ' '));
    if (body && body.length <= longestPageText) return l10n.t('The service answered {0} with a page saying "{1}".', status, body);
  }
  return l10n.t('The service answered {0}.', status);
}

/** Builds an AzureMlError from a service's status and body (JSON `{"error":{...}}` or text). */
export function errorFromResponse(status: number, bodyText: string | undefined): AzureMlError {
  let body: ErrorBody | undefined;
  try {
    body = bodyText ? (JSON.parse(bodyText) as ErrorBody) : undefined;
  } catch {
    body = undefined;
  }
  const code = body?.error?.code ?? body?.code ?? body?.error_code ?? codeForStatus(status);
  const text = bodyText?.trim();
  const message = body?.error?.message ?? body?.message
    ?? (!text ? l10n.t('The service answered {0}.', status) : body === undefined && (looksLikeHtml(text) || text.includes('\n')) ? pageMessage(status, text) : text);
  return new AzureMlError(message, status, code, body?.error?.target);
}

/**
 * A list whose nextLink repeats (A, B, A…) would loop forever; stopping there would pass a
 * part of it off as the whole. Every reader of a paged list refuses it with this error.
 */
export function repeatedPageError(): AzureMlError {
  return new AzureMlError(l10n.t('The service answered with the same page twice (its nextLink repeats), so the list cannot be read to its end: try again; if it keeps happening, a proxy or the network in between may be answering instead of Azure.'),
    undefined, 'InvalidResponse');
}

/** What the storage SDKs say when they did not take the service's message as theirs. */
const sdkStatusMessage = /^Unexpected status code: \d+$/;

/** A storage service's error message without its RequestId and Time lines. */
function storageServiceMessage(text: string | undefined): string | undefined {
  return text?.split('\n').filter((line) => !/^(RequestId|Time):/.test(line)).join(' ').trim() || undefined;
}

/**
 * What @azure/identity throws when none of its credentials could sign in (no `az login`, no
 * environment): recognised by name, since the SDK is loaded only when needed.
 */
const notSignedInErrorNames = new Set(['AggregateAuthenticationError', 'CredentialUnavailableError', 'AuthenticationRequiredError']);

export function isNotSignedInError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && notSignedInErrorNames.has(name);
}

/** No credential could sign in. What to do depends on who asks (the CLI: az login; the extension: Sign in). */
export function notSignedInError(): AzureMlError {
  return new AzureMlError(l10n.t('Not signed in to Azure.'), undefined, 'NotSignedIn');
}

/**
 * Normalizes anything thrown by the SDKs (RestError, StorageError, AuthenticationError,
 * network errors) into an AzureMlError, masking secrets on the way.
 */
export function toAzureMlError(error: unknown): AzureMlError {
  if (error instanceof AzureMlError) return error;
  if (isNotSignedInError(error)) return notSignedInError();
  if (error && typeof error === 'object') {
    const e = error as {
      statusCode?: number; code?: string; message?: string; details?: unknown;
      response?: { bodyAsText?: string | null };
    };
    const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    const bodyText = e.response?.bodyAsText ?? undefined;
    if (status !== undefined && bodyText) {
      const fromBody = errorFromResponse(status, bodyText);
      // A gateway's HTML page: its status and title, not the SDK's message (the page itself).
      if (fromBody.code !== codeForStatus(status) || looksLikeHtml(bodyText)) return fromBody;
    }
    const details = e.details as { errorCode?: string; message?: string } | undefined;
    const code = details?.errorCode ?? e.code ?? codeForStatus(status);
    const ownWords = e.message && !sdkStatusMessage.test(e.message) ? e.message : undefined;
    const message = ownWords || storageServiceMessage(details?.message) || e.message || String(error);
    return new AzureMlError(status !== undefined && looksLikeHtml(message) ? pageMessage(status, message) : message, status, code);
  }
  return new AzureMlError(String(error), undefined, 'Unknown');
}

/**
 * What a person can do about a service error, as one sentence; undefined when the message
 * already says it or only a retry makes sense. Shared by the CLI and the extension.
 */
export function adviceFor(error: Pick<AzureMlError, 'status' | 'code'>): string | undefined {
  if (error.code?.startsWith('Datastore') || error.code === 'NotSignedIn' || error.code === 'StorageRoleMissing' || error.code === 'RetryAfterTooLong') return undefined;
  if (error.status === 401) return l10n.t('Sign in again.');
  if (error.status === 403) {
    return l10n.t('Ask an owner of the workspace for a role that allows this (for example AzureML Data Scientist), or use another workspace.');
  }
  if (error.status === 429) return l10n.t('The service is limiting requests: wait a minute and try again.');
  if (error.status !== undefined && error.status >= 500) return l10n.t('The service had a problem: try again in a few minutes.');
  return undefined;
}

/**
 * The error's message followed by its advice, when there is some. Takes the fields rather
 * than the class: the extension's bundles each hold their own copy of it.
 */
export function messageWithAdvice(error: Pick<AzureMlError, 'message' | 'status' | 'code'>): string {
  const advice = adviceFor(error);
  if (!advice) return error.message;
  const message = error.message.trim();
  return `${message}${/[.!?:]$/.test(message) ? '' : '.'} ${advice}`;
}

/**
 * What an abort ends an operation with: Node's own AbortError text, which callers and tests
 * recognise in every language, and which the UI shows as nothing.
 */
export function abortError(): Error {
  // eslint-disable-next-line no-restricted-syntax
  return Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
}
