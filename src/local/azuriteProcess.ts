import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { findFreePorts } from './freePort';

export interface RunningAzurite {
  blobEndpoint: string;
  queueEndpoint: string;
  /** Resolves when Azurite exits for any reason. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  location: string;
  accountName: string;
  /** The account's base64 key: Azurite takes this one only, not its published development key. */
  accountKey: string;
  /** Where Azurite's own diagnostics go (never stdout: that is the service's ready line). */
  log: (line: string) => void;
  startTimeoutMs?: number;
  /** Aborting stops Azurite, also while it is still starting. */
  signal?: AbortSignal;
  /** Its blob, queue and table ports; by default three that are free when asked. */
  choosePorts?: () => Promise<number[]>;
}

export class AzuriteNotFoundError extends Error {}

/**
 * Azurite runs as its own process. The build bundles it next to this file (dist/azurite.js), so
 * the installed extension needs nothing else; AZML_AZURITE_DIR (the azureml.local.azuritePath
 * setting) names an installed azurite package to use instead. Run from the sources (tests), it
 * comes from node_modules.
 */
function azuriteEntryPoint(): string {
  const explicit = process.env['AZML_AZURITE_DIR'];
  if (explicit) return path.join(explicit, 'dist', 'src', 'azurite.js');
  const bundled = path.join(__dirname, 'azurite.js');
  if (existsSync(bundled)) return bundled;
  try {
    const packageJson = require.resolve('azurite/package.json', { paths: [__dirname] });
    return path.join(path.dirname(packageJson), 'dist', 'src', 'azurite.js');
  } catch {
    throw new AzuriteNotFoundError(
      `Azurite is missing: ${bundled} should come with the extension. Reinstall the extension, ` +
      'or point the azureml.local.azuritePath setting (AZML_AZURITE_DIR) at an installed azurite package.');
  }
}

/** Azurite exited before it listened; `portTaken` when one of its ports was taken meanwhile. */
class AzuriteExitedError extends Error {
  constructor(code: number | null, lastLine: string | undefined, readonly portTaken: boolean) {
    super(`Azurite exited with code ${code} before it was ready${lastLine ? `: ${lastLine}` : ''}`);
  }
}

/** Ports are free when chosen but Azurite binds them later: something may take one in between. */
const startAttempts = 3;

/** Starts Azurite's blob and queue services (and table, which it always starts) on loopback. */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const entryPoint = azuriteEntryPoint();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAzuriteOnce(entryPoint, options);
    } catch (error) {
      if (!(error instanceof AzuriteExitedError && error.portTaken) || attempt === startAttempts || options.signal?.aborted) throw error;
      options.log(`azurite: ${error.message}; starting it again on other ports`);
    }
  }
}

async function startAzuriteOnce(entryPoint: string, options: AzuriteOptions): Promise<RunningAzurite> {
  const [blobPort, queuePort, tablePort] = await (options.choosePorts ?? (() => findFreePorts(3)))();
  options.log(`azurite: starting ${entryPoint}`);
  const child = spawn(process.execPath, [
    entryPoint,
    '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
    '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
    '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
    '--location', options.location,
    '--disableTelemetry',
    // Azurite 3.37 lags the storage SDKs' newest service version by a release.
    '--skipApiVersionCheck',
  ], { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', env: azuriteEnvironment(options) });

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  options.signal?.addEventListener('abort', () => void stopProcessGroup(child, exited), { once: true });
  await waitUntilListening(child, exited, options);
  return {
    blobEndpoint: `http://127.0.0.1:${blobPort}/${options.accountName}`,
    queueEndpoint: `http://127.0.0.1:${queuePort}/${options.accountName}`,
    exited,
    stop: () => stopProcessGroup(child, exited),
  };
}

/**
 * AZURITE_DB would switch Azurite to a SQL store, which the bundle leaves out; the data stays in --location.
 * AZURITE_ACCOUNTS replaces Azurite's accounts, its published development account included, with ours.
 */
function azuriteEnvironment(options: AzuriteOptions): NodeJS.ProcessEnv {
  // Azurite falls back to its published key when it cannot read AZURITE_ACCOUNTS: never hand it one it cannot read.
  if (!/^[A-Za-z0-9]+$/.test(options.accountName) || !/^[A-Za-z0-9+/]+={0,2}$/.test(options.accountKey)) {
    throw new Error('Azurite needs an account name of letters and digits and a base64 account key.');
  }
  const { AZURITE_DB: _sql, ...env } = process.env;
  return { ...env, AZURITE_ACCOUNTS: `${options.accountName}:${options.accountKey}` };
}

function waitUntilListening(child: ChildProcess, exited: Promise<number | null>, options: AzuriteOptions): Promise<void> {
  const needed = new Set(['Blob', 'Queue']);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopProcessGroup(child, exited);
      reject(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 30000} ms`));
    }, options.startTimeoutMs ?? 30000);
    const onLine = (line: string): void => {
      options.log(`azurite: ${line}`);
      const match = /Azurite (\w+) service (?:is )?successfully listen/.exec(line);
      if (match?.[1]) needed.delete(match[1]);
      if (needed.size === 0) {
        clearTimeout(timer);
        resolve();
      }
    };
    let lastLine: string | undefined;
    let portTaken = false;
    const heard = (line: string): void => {
      if (line) lastLine = line;
      if (/EADDRINUSE/.test(line)) portTaken = true;
    };
    splitLines(child.stdout!, (line) => {
      heard(line);
      onLine(line);
    });
    splitLines(child.stderr!, (line) => {
      heard(line);
      options.log(`azurite: ${line}`);
    });
    // 'close', not 'exit': by then its last words (the reason) have been read.
    child.once('close', (code: number | null) => {
      clearTimeout(timer);
      reject(new AzuriteExitedError(code, lastLine, portTaken));
    });
  });
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline).trimEnd());
      buffered = buffered.slice(newline + 1);
    }
  });
}

async function stopProcessGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const killTimer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(killTimer);
}
