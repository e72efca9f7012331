import * as l10n from '@vscode/l10n';
import { spawn, type ChildProcess } from 'node:child_process';
import { readDiscoveryFile, type LocalWorkspaceConnection } from './discovery';

export interface LaunchOptions {
  /** Path of the bundled service, `dist/local.js`. */
  serviceScript: string;
  dataDir: string;
  seed?: 'demo';
  pageSize?: number;
  /** The demo's Queued and Running runs stay as they are (`--freeze-demo`). */
  freezeDemo?: boolean;
  port?: number;
  /** False: its storage refuses account keys and SAS tokens (`--no-shared-key`). */
  sharedKeyAccess?: boolean;
  /** Publish the workspace's events to this Azurite queue (`--events-queue`). */
  eventsQueue?: string;
  /** Extra environment for the service (e.g. AZML_AZURITE_DIR). */
  env?: NodeJS.ProcessEnv;
  /** Receives the service's diagnostics (its stderr), line by line. */
  onLog?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface LaunchedLocalService {
  connection: LocalWorkspaceConnection;
  /** The ready line the service printed, parsed. */
  readyLine: Record<string, unknown>;
  process: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Stops the service (SIGTERM: it stops Azurite and everything else) and waits for it. */
  stop(): Promise<void>;
}

function serviceArguments(options: LaunchOptions): string[] {
  const args = [options.serviceScript, '--data', options.dataDir, '--port', String(options.port ?? 0)];
  if (options.seed) args.push('--seed', options.seed);
  if (options.pageSize) args.push('--page-size', String(options.pageSize));
  if (options.freezeDemo) args.push('--freeze-demo');
  if (options.sharedKeyAccess === false) args.push('--no-shared-key');
  if (options.eventsQueue) args.push('--events-queue', options.eventsQueue);
  return args;
}

/**
 * Starts the local workspace service as a child process with this process's Node (also inside
 * Electron, via ELECTRON_RUN_AS_NODE) and resolves once it printed its ready line.
 */
export async function launchLocalService(options: LaunchOptions): Promise<LaunchedLocalService> {
  const child = spawn(process.execPath, serviceArguments(options), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const recentErrors: string[] = [];
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      options.onLog?.(line);
      recentErrors.push(line);
      if (recentErrors.length > 20) recentErrors.shift();
    }
  });

  const timeoutMs = options.startTimeoutMs ?? 60000;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const readyText = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(l10n.t('The local workspace did not start within {0} s.', timeoutMs / 1000))), timeoutMs);
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const newline = stdout.indexOf('\n');
        if (newline >= 0) {
          clearTimeout(timer);
          resolve(stdout.slice(0, newline));
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      void exited.then((code) => {
        clearTimeout(timer);
        const reason = recentErrors.filter((l) => l.startsWith('azml local:')).pop()?.replace(/^azml local:\s*/, '');
        reject(new Error(reason || l10n.t('The local workspace exited with code {0} before it was ready.', String(code))));
      });
    });
    const connection = await readDiscoveryFile(options.dataDir);
    return { connection, readyLine: JSON.parse(readyText) as Record<string, unknown>, process: child, exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
