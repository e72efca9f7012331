import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { MlflowError, type ApiError } from './apiError';

function baseHeaders(): Record<string, string> {
  return { 'x-ms-request-id': randomUUID() };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...baseHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: http.ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...baseHeaders(), 'Content-Length': '0', ...headers });
  res.end();
}

export function sendError(res: http.ServerResponse, error: ApiError): void {
  if (error instanceof MlflowError) return sendJson(res, error.status, { error_code: error.code, message: error.message }, error.headers);
  const body: { code: string; message: string; target?: string } = { code: error.code, message: error.message };
  if (error.target) body.target = error.target;
  sendJson(res, error.status, { error: body }, error.headers);
}
