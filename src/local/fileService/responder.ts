import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StorageError } from './storageError';
import { errorXml } from './xml';

/** The API version answered when a request names none. */
export const defaultServiceVersion = '2026-10-06';

export function httpDate(milliseconds: number): string {
  return new Date(milliseconds).toUTCString();
}

/** Writes responses with the headers every Azure Storage response carries. */
export class Responder {
  readonly requestId: string;
  private readonly version: string;
  private readonly clientRequestId: string | undefined;

  constructor(private readonly req: IncomingMessage, private readonly res: ServerResponse, requestId: string) {
    this.requestId = requestId;
    const version = req.headers['x-ms-version'];
    this.version = typeof version === 'string' && version !== '' ? version : defaultServiceVersion;
    const clientRequestId = req.headers['x-ms-client-request-id'];
    this.clientRequestId = typeof clientRequestId === 'string' ? clientRequestId : undefined;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  private head(status: number, headers: OutgoingHttpHeaders): void {
    this.res.writeHead(status, {
      'x-ms-request-id': this.requestId,
      'x-ms-version': this.version,
      ...(this.clientRequestId !== undefined ? { 'x-ms-client-request-id': this.clientRequestId } : {}),
      Date: httpDate(Date.now()),
      Server: 'azureml-local-file-service',
      ...headers,
    });
  }

  send(status: number, headers: OutgoingHttpHeaders = {}, body?: string | Buffer): void {
    const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.head(status, { 'Content-Length': bytes?.length ?? 0, ...headers });
    this.res.end(this.req.method === 'HEAD' ? undefined : bytes);
  }

  xml(status: number, headers: OutgoingHttpHeaders, xml: string): void {
    this.send(status, { 'Content-Type': 'application/xml', ...headers }, xml);
  }

  /** Sends headers, then the stream's bytes as they are read (HEAD: headers only). */
  async stream(status: number, headers: OutgoingHttpHeaders, body: Readable): Promise<void> {
    this.head(status, headers);
    if (this.req.method === 'HEAD') {
      body.destroy();
      this.res.end();
      return;
    }
    await pipeline(body, this.res);
  }

  error(error: StorageError): void {
    const headers = { 'x-ms-error-code': error.code, ...error.headers };
    this.xml(error.status, headers, errorXml(error.code, error.message, this.requestId));
  }

  /** Drops the connection when an error comes after the response has started. */
  abort(): void {
    this.res.destroy();
  }
}
