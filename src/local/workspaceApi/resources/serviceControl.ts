import type { RouteDefinition } from '../http/router';
import { sendJson } from '../http/respond';

/** Path of the request that stops the service; only a client holding its bearer token can send it. */
export const stopServicePath = '/localWorkspace/stop';

/**
 * `POST /localWorkspace/stop`: answers 202 with the service's pid, then asks it to stop. Clients
 * stop a service they did not start this way rather than by signalling the pid of a discovery
 * file, which may be stale or name an unrelated process.
 */
export function serviceControlRoutes(stopRequested: () => void): RouteDefinition[] {
  return [{
    method: 'POST', pattern: stopServicePath, apiVersion: false,
    handler: (ctx) => {
      ctx.res.once('finish', stopRequested);
      sendJson(ctx.res, 202, { stopping: true, pid: process.pid });
    },
  }];
}
