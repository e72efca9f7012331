import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDiscoveryFile, type LocalWorkspaceConnection } from '../../src/local/discovery';
import { ensureBuilt, repoRoot } from './repo';

export interface StartedLocalWorkspace {
  connection: LocalWorkspaceConnection;
  /** The ready line the service printed, parsed. */
  readyLine: Record<string, unknown>;
  dataDir: string;
  process: ChildProcess;
  /** Stops the service (SIGTERM) and waits for it to exit; keeps the data folder. */
  stop(): Promise<void>;
  /** Stops the service and deletes its data folder. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  seed?: 'demo';
  pageSize?: number;
  /** Reuse a data folder (restart tests); a fresh temp folder otherwise. */
  dataDir?: string;
}

/** Runs the bundled local workspace service (`node dist/local.js`) as a user would. */
export async function startLocalWorkspace(options: StartOptions = {}): Promise<StartedLocalWorkspace> {
  ensureBuilt();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'azml-local-'));
  const args = [path.join(repoRoot, 'dist', 'local.js'), '--data', dataDir, '--port', '0'];
  if (options.seed) args.push('--seed', options.seed);
  if (options.pageSize) args.push('--page-size', String(options.pageSize));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const readyText = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`local workspace did not start in 60 s:\n${stderr}`)), 60000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local workspace exited with ${code} before it was ready:\n${stderr}`));
    });
  }).catch(async (error: unknown) => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    if (!options.dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  });

  const connection = await readDiscoveryFile(dataDir);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return {
    connection,
    readyLine: JSON.parse(readyText) as Record<string, unknown>,
    dataDir,
    process: child,
    stop,
    dispose: async () => {
      await stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
