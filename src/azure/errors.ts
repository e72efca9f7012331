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

/** Builds an AzureMlError from a service's status and body (JSON `{"error":{...}}` or text). */
export function errorFromResponse(status: number, bodyText: string | undefined): AzureMlError {
  let body: ErrorBody | undefined;
  try {
    body = bodyText ? (JSON.parse(bodyText) as ErrorBody) : undefined;
  } catch {
    body = undefined;
  }
  const code = body?.error?.code ?? body?.code ?? body?.error_code ?? codeForStatus(status);
  const message = body?.error?.message ?? body?.message ?? (bodyText?.trim() || l10n.t('The service answered {0}.', status));
  return new AzureMlError(message, status, code, body?.error?.target);
}

/** What the storage SDKs say when they did not take the service's message as theirs. */
const sdkStatusMessage = /^Unexpected status code: \d+$/;

/** A storage service's error message without its RequestId and Time lines. */
function storageServiceMessage(text: string | undefined): string | undefined {
  return text?.split('\n').filter((line) => !/^(RequestId|Time):/.test(line)).join(' ').trim() || undefined;
}

/**
 * Normalizes anything thrown by the SDKs (RestError, StorageError, AuthenticationError,
 * network errors) into an AzureMlError, masking secrets on the way.
 */
export function toAzureMlError(error: unknown): AzureMlError {
  if (error instanceof AzureMlError) return error;
  if (error && typeof error === 'object') {
    const e = error as {
      statusCode?: number; code?: string; message?: string; details?: unknown;
      response?: { bodyAsText?: string | null };
    };
    const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    const bodyText = e.response?.bodyAsText ?? undefined;
    if (status !== undefined && bodyText) {
      const fromBody = errorFromResponse(status, bodyText);
      if (fromBody.code !== codeForStatus(status)) return fromBody;
    }
    const details = e.details as { errorCode?: string; message?: string } | undefined;
    const code = details?.errorCode ?? e.code ?? codeForStatus(status);
    const ownWords = e.message && !sdkStatusMessage.test(e.message) ? e.message : undefined;
    const message = ownWords || storageServiceMessage(details?.message) || e.message || String(error);
    return new AzureMlError(message, status, code);
  }
  return new AzureMlError(String(error), undefined, 'Unknown');
}

/**
 * What a person can do about a service error, as one sentence; undefined when the message
 * already says it or only a retry makes sense. Shared by the CLI and the extension.
 */
export function adviceFor(error: Pick<AzureMlError, 'status' | 'code'>): string | undefined {
  if (error.code?.startsWith('Datastore') || error.code === 'NotSignedIn' || error.code === 'StorageRoleMissing') return undefined;
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
