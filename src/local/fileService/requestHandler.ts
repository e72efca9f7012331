import { randomUUID, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContentStore } from './contentStore';
import type { Operation } from './operation';
import { Responder } from './responder';
import { parseRequestTarget, type RequestTarget } from './requestTarget';
import { resolveOperation } from './router';
import { hasSasSignature, verifySas } from './sas';
import { verifySharedKey } from './sharedKey';
import type { ShareStore } from './shareStore';
import { errors, StorageError } from './storageError';
import { hasValidBearer, invalidTokenRefusal, keyAccessRefusal, type StorageKeyAccess } from '../storageKeyAccess';

export interface RequestHandlerOptions {
  accountName: string;
  /** The account key as an HMAC key (made once, not per request). */
  accountKey: KeyObject;
  store: ShareStore;
  content: ContentStore;
  serviceEndpoint: string;
  inBackground(task: () => Promise<unknown>): void;
  /** Without it: account key and SAS only. */
  access?: StorageKeyAccess;
}

/** The local workspace's token, as Azure Files takes a Microsoft Entra token: only with the backup intent. */
function authenticateBearer(req: IncomingMessage, access: StorageKeyAccess | undefined): void {
  if (!access || !hasValidBearer(req.headers, access.bearerToken)) {
    throw new StorageError(invalidTokenRefusal.status, invalidTokenRefusal.code, invalidTokenRefusal.message,
      { 'WWW-Authenticate': invalidTokenRefusal.wwwAuthenticate });
  }
  if (req.headers['x-ms-file-request-intent'] !== 'backup') {
    throw new StorageError(400, 'MissingRequiredHeader',
      'An HTTP header that\'s mandatory for this request is not specified. x-ms-file-request-intent must be "backup" with a bearer token.');
  }
}

function authenticate(req: IncomingMessage, target: RequestTarget, operation: Operation, options: RequestHandlerOptions): void {
  if (/^Bearer\s/i.test(req.headers.authorization ?? '')) return authenticateBearer(req, options.access);
  if ((req.headers.authorization !== undefined || hasSasSignature(target)) && options.access?.sharedKeyAccess === false) {
    throw new StorageError(keyAccessRefusal.status, keyAccessRefusal.code, keyAccessRefusal.message);
  }
  if (req.headers.authorization !== undefined) {
    verifySharedKey(
      { method: req.method ?? 'GET', headers: req.headers, rawHeaders: req.rawHeaders, target },
      options.accountName, options.accountKey,
    );
  } else if (hasSasSignature(target)) {
    verifySas(target, options.accountName, options.accountKey, operation.sas, req.socket.remoteAddress);
  } else {
    throw errors.authenticationFailed('The request is not signed: send an Authorization header (Shared Key) or a SAS.');
  }
}

/** Failures that are not StorageErrors: a content file gone (deleted meanwhile) reads as not found. */
function asStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return errors.resourceNotFound();
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(500, 'InternalError', `The server encountered an internal error: ${message}`);
}

function isClientGone(req: IncomingMessage, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return req.socket.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNABORTED';
}

/** Serves one request: parse the URL, pick the operation, check the signature, run it; errors become Azure-style XML. */
export function createRequestHandler(options: RequestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const respond = new Responder(req, res, randomUUID());
    try {
      const target = parseRequestTarget(req.url ?? '/', options.accountName);
      const operation = resolveOperation(req.method ?? 'GET', target);
      authenticate(req, target, operation, options);
      await operation.run({
        req, target, respond, store: options.store, content: options.content,
        serviceEndpoint: options.serviceEndpoint, inBackground: options.inBackground,
      });
    } catch (error) {
      if (respond.headersSent || isClientGone(req, error)) {
        respond.abort();
        return;
      }
      respond.error(asStorageError(error));
    }
  };
}
