import * as net from 'node:net';

/**
 * Records every outgoing connection this extension host opens (http, https, fetch and raw
 * sockets all go through net.Socket#connect) until `stop()`, which answers what was opened.
 */
export function watchOutgoingConnections(): { stop(): string[] } {
  const opened: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    opened.push(describeTarget(args[0], args[1]));
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return {
    stop: () => {
      net.Socket.prototype.connect = original;
      return opened;
    },
  };
}

/** The outgoing connections opened while `action` runs, and what it returned. */
export async function connectionsOpenedDuring<T>(action: () => Thenable<T>): Promise<{ result: T; opened: string[] }> {
  const connections = watchOutgoingConnections();
  try {
    const result = await action();
    return { result, opened: connections.stop() };
  } catch (error) {
    connections.stop();
    throw error;
  }
}

function describeTarget(first: unknown, second: unknown): string {
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number; path?: string } | number | string;
  if (typeof options === 'number') return `${typeof second === 'string' ? second : 'localhost'}:${options}`;
  if (typeof options === 'string') return options;
  return options?.path ?? `${options?.host ?? 'localhost'}:${options?.port ?? '?'}`;
}
