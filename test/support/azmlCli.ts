import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import type { StartedLocalWorkspace } from './localWorkspace';
import { ensureBuilt, repoRoot } from './repo';

export interface CliResult { status: number | null; stdout: string; stderr: string }

/** Runs the bundled `azml` against a local workspace, as a script does (stdin not a terminal). */
export function azmlOnLocal(local: StartedLocalWorkspace, args: readonly string[]): CliResult {
  ensureBuilt();
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', local.dataDir], {
    encoding: 'utf8', timeout: 90_000, stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `node <args>` (the bundled CLI and its arguments) to its end without blocking this process,
 * for a CLI that talks to servers this process runs (spawnSync would stall them).
 */
export async function runNodeAsync(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(process.execPath, args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [status] = await once(child, 'exit') as [number | null];
  return { status, stdout, stderr };
}
