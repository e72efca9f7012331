import type * as http from 'node:http';
import { badRequest } from './apiError';

/** Everything a route handler needs about one request. */
export interface RequestContext {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly method: string;
  /** The request path as sent (still percent-encoded). */
  readonly rawPath: string;
  /** The raw query string without the leading `?`. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  /** `http://<Host header>`: links in answers point back at the address the client used. */
  readonly baseUrl: string;
  /** Path parameters named in the route pattern, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Parsed JSON body of PUT/POST/PATCH, undefined when empty. */
  readonly body: unknown;
  /**
   * Runs `task` once the handler's change is committed and the state lock released, before the
   * request ends: for slow work that changes no state (storage calls), so that it holds up no other
   * change. The task then answers the request.
   */
  afterCommit(task: () => Promise<void>): void;
}

/** Query parameter names are matched case-insensitively, as ARM does. */
export function queryValue(ctx: Pick<RequestContext, 'query'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of ctx.query) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function queryValues(ctx: Pick<RequestContext, 'query'>, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of ctx.query) if (key.toLowerCase() === wanted) values.push(value);
  return values;
}

export function queryBoolean(ctx: Pick<RequestContext, 'query'>, name: string): boolean | undefined {
  const value = queryValue(ctx, name);
  if (value === undefined || value === '') return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw badRequest(`Query parameter '${name}' must be true or false.`, name);
}

export function queryInteger(ctx: Pick<RequestContext, 'query'>, name: string, min = 0): number | undefined {
  const value = queryValue(ctx, name);
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw badRequest(`Query parameter '${name}' must be an integer of at least ${min}.`, name);
  }
  return Number(value);
}

/** What ARM answers with a 201 Created: `Location` naming the resource, as the request did. */
export function createdHeaders(ctx: RequestContext): Record<string, string> {
  return { Location: `${ctx.baseUrl}${ctx.rawPath}${ctx.rawQuery ? `?${ctx.rawQuery}` : ''}` };
}

export function baseUrlOf(req: http.IncomingMessage): string {
  const host = req.headers.host && /^[A-Za-z0-9.\-:[\]]+$/.test(req.headers.host) ? req.headers.host : '127.0.0.1';
  return `http://${host}`;
}
