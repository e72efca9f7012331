import { spawnSync } from 'node:child_process';
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
