/**
 * `npm run local -- [--data <dir>] [--port <port>] [--seed demo] [--no-shared-key] [--events-queue <name>]`
 * Starts the local workspace service and prints one JSON ready line on stdout.
 */
import { parseArgs } from 'node:util';
import { resolveLocalDataDir } from './discovery';
import { isEventsQueueName } from '../core/events/queueName';
import { readyLine, startLocalService, type RunningLocalService } from './service';

const usage = 'Usage: npm run local -- [--data <dir>] [--port <port>] [--seed demo] [--page-size <n>] [--freeze-demo] [--no-shared-key] [--events-queue <name>]';

function fail(message: string): never {
  process.stderr.write(`azml local: ${message}\n`);
  process.exit(1);
}

function parseOptions(): { dataDir: string; port: number; seed?: 'demo'; pageSize?: number; freezeDemo?: boolean; sharedKeyAccess?: boolean; eventsQueue?: string } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        seed: { type: 'string' },
        'page-size': { type: 'string' },
        'freeze-demo': { type: 'boolean' },
        'no-shared-key': { type: 'boolean' },
        'events-queue': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0-65535), got "${values.port}".`);
  if (values.seed !== undefined && values.seed !== 'demo') fail(`--seed takes "demo", got "${values.seed}".`);
  const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) fail('--page-size must be a positive whole number.');
  const eventsQueue = values['events-queue'];
  if (eventsQueue !== undefined && !isEventsQueueName(eventsQueue)) {
    fail(`--events-queue takes a queue name of 3 to 56 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (its poison queue adds "-poison"), got "${eventsQueue}".`);
  }
  return {
    dataDir: resolveLocalDataDir(values.data),
    port,
    ...(values.seed === 'demo' ? { seed: 'demo' as const } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(values['freeze-demo'] ? { freezeDemo: true } : {}),
    ...(values['no-shared-key'] ? { sharedKeyAccess: false } : {}),
    ...(eventsQueue !== undefined ? { eventsQueue } : {}),
  };
}

/** Never an empty line: an AggregateError (every address refused) or a bare status has no message of its own. */
function startFailureText(error: unknown): string {
  const { message, code, statusCode, errors } = error as Error & { code?: string; statusCode?: number; errors?: unknown[] };
  if (message) return message;
  if (Array.isArray(errors) && errors.length > 0) return errors.map(startFailureText).join('; ');
  if (code || statusCode) return `The start failed: ${[code, statusCode].filter(Boolean).join(', ')}.`;
  return `The start failed: ${String(error)}.`;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  // Signals may come while starting: abort the start, which stops whatever it started.
  const starting = new AbortController();
  let service: RunningLocalService | undefined;
  let stopping = false;
  const shutdown = async (exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (!service) {
      starting.abort();
      return;
    }
    await service.stop();
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  try {
    service = await startLocalService({ ...options, log, signal: starting.signal });
  } catch (e) {
    if (stopping) process.exit(0);
    fail(startFailureText(e));
  }
  if (stopping) {
    await service.stop();
    process.exit(0);
  }
  void service.failed.then((error) => {
    if (stopping) return;
    log(`azml local: ${error.message} Stopping.`);
    void shutdown(1);
  });

  void service.stopRequested.then(() => {
    log('Asked to stop by a client.');
    void shutdown(0);
  });

  process.stdout.write(`${readyLine(service.connection)}\n`);
  log(`Local workspace "${service.connection.workspace}" ready at ${service.connection.armEndpoint} (data: ${options.dataDir}). Ctrl-C stops it.`);
}

void main();
