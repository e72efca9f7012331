import type * as http from 'node:http';
import { ApiError, badRequest } from './apiError';
import { requireBearer } from './auth';
import { readJsonBody } from './body';
import { baseUrlOf, queryValue, type RequestContext } from './requestContext';
import { sendError } from './respond';
import { StateWriteError } from '../store/jsonFileWriter';

export type RouteHandler = (ctx: RequestContext) => void | Promise<void>;

/** Runs a handler of a request that may change state (PUT, POST, PATCH, DELETE) as one transaction. */
export type TransactionRunner = (handler: () => Promise<void>) => Promise<void>;

export interface RouteDefinition {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** Path with `{param}` segments; literal segments match case-insensitively, as in ARM. */
  pattern: string;
  handler: RouteHandler;
  /** Default true. Only the public discovery document is served without a token. */
  auth?: boolean;
  /** A token this route takes besides the service's, given the path parameters. */
  alsoAccepts?: (token: string, params: Readonly<Record<string, string>>) => boolean;
  /** Default true for paths under /subscriptions (ARM), false otherwise. */
  apiVersion?: boolean;
}

interface CompiledRoute extends RouteDefinition {
  segments: Array<{ literal: string } | { param: string }>;
}

const apiVersionPattern = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

function splitPath(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.slice(1).split('/');
}

function compile(route: RouteDefinition): CompiledRoute {
  const segments = splitPath(route.pattern).map((s) => {
    const param = /^\{(\w+)\}$/.exec(s);
    return param ? { param: param[1]! } : { literal: s.toLowerCase() };
  });
  return { ...route, segments };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`The path segment '${segment}' is not valid percent-encoding.`);
  }
}

function match(route: CompiledRoute, segments: string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const expected = route.segments[i]!;
    const actual = decodeSegment(segments[i]!);
    if ('literal' in expected) {
      if (actual.toLowerCase() !== expected.literal) return undefined;
    } else {
      if (actual === '') return undefined;
      params[expected.param] = actual;
    }
  }
  return params;
}

/** Dispatches requests to routes: authentication, api-version, body parsing, errors, 404/405. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: RouteDefinition[],
    private readonly token: string,
    private readonly transaction: TransactionRunner = (handler) => handler(),
  ) {
    this.routes = routes.map(compile);
  }

  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.dispatch(req, res).catch((error: unknown) => {
      const apiError = error instanceof ApiError
        ? error
        : error instanceof StateWriteError
          ? new ApiError(500, 'StateNotSaved', error.message)
          : new ApiError(500, 'InternalServerError', 'The local workspace service failed to handle the request.');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A refused upload may still be streaming in; stop reading it once the answer is out.
      if (apiError.status === 413) res.once('finish', () => req.destroy());
      sendError(res, apiError);
    });
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const rawPath = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const rawQuery = queryStart < 0 ? '' : rawUrl.slice(queryStart + 1);
    const segments = splitPath(rawPath.replace(/\/{2,}/g, '/'));

    const candidates: Array<{ route: CompiledRoute; params: Record<string, string> }> = [];
    for (const route of this.routes) {
      const params = match(route, segments);
      if (params) candidates.push({ route, params });
    }
    const chosen = candidates.find((c) => c.route.method === method);

    if (!(chosen && chosen.route.auth === false)) {
      const alsoAccepts = chosen?.route.alsoAccepts;
      requireBearer(req, this.token, alsoAccepts ? (token) => alsoAccepts(token, chosen.params) : undefined);
    }
    if (candidates.length === 0) {
      throw new ApiError(404, 'NotFound', `The local workspace service has no resource at '${rawPath}'.`);
    }
    if (!chosen) {
      const allowed = [...new Set(candidates.map((c) => c.route.method))].join(', ');
      throw new ApiError(405, 'MethodNotAllowed', `The method ${method} is not allowed here; allowed: ${allowed}.`, undefined, { Allow: allowed });
    }

    const query = new URLSearchParams(rawQuery);
    const needsApiVersion = chosen.route.apiVersion ?? chosen.route.pattern.toLowerCase().startsWith('/subscriptions');
    if (needsApiVersion) {
      const version = queryValue({ query }, 'api-version');
      if (!version) throw new ApiError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.", 'api-version');
      if (!apiVersionPattern.test(version)) {
        throw new ApiError(400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid; use the form YYYY-MM-DD or YYYY-MM-DD-preview.`, 'api-version');
      }
    }

    const body = method === 'PUT' || method === 'POST' || method === 'PATCH' ? await readJsonBody(req) : undefined;
    const afterCommit: Array<() => Promise<void>> = [];
    const ctx: RequestContext = {
      req, res, method, rawPath, rawQuery, query, body,
      baseUrl: baseUrlOf(req),
      params: chosen.params,
      afterCommit: (task) => afterCommit.push(task),
    };
    const handler = chosen.route.handler;
    if (method === 'GET') await handler(ctx);
    else await this.transaction(async () => handler(ctx));
    for (const task of afterCommit) await task();
  }
}
