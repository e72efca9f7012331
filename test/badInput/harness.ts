/**
 * The bad-input corpus runs the bundled CLI as a user would (`node dist/cli.js …`) and checks
 * what a user sees when the input is wrong: a non-zero exit, exactly one line on stderr that
 * says what to do, no stack trace, and nothing written outside its place.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StartedLocalWorkspace } from '../support/localWorkspace';
import { ensureBuilt, repoRoot } from '../support/repo';

export interface CliResult { status: number | null; stdout: string; stderr: string }

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (root reads any file; another user does not). */
  uid?: number;
  gid?: number;
}

/** The CLI's state folder (transfer journals) for this test process, not the user's; removed at exit. */
const stateHome = mkdtempSync(path.join(os.tmpdir(), 'azml-bad-input-state-'));
chmodSync(stateHome, 0o711);
process.on('exit', () => rmSync(stateHome, { recursive: true, force: true }));

/** A run as another user keeps its journals in a state folder of its own, which that user may write. */
function cliEnv(options: RunOptions): NodeJS.ProcessEnv {
  let state = stateHome;
  if (options.uid !== undefined) {
    state = path.join(stateHome, `uid-${options.uid}`);
    mkdirSync(state, { recursive: true });
    chownSync(state, options.uid, options.gid ?? options.uid);
  }
  return { ...process.env, XDG_STATE_HOME: state, ...options.env };
}

export function azml(args: readonly string[], options: RunOptions = {}): CliResult {
  ensureBuilt();
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: cliEnv(options),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process: for servers that run in it (the stub). */
export function azmlAsync(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
      env: cliEnv(options),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The target flags of a local workspace (or of a discovery file that points at a stub). */
export function localTarget(local: Pick<StartedLocalWorkspace, 'dataDir'>): string[] {
  return ['--local', '--data', local.dataDir];
}

/** A transfer's progress line on stderr ("3 / 10 files · 1 KB / 2 KB …", "0 files (counting…) · 0 B"), which is not a message. */
const progressLine = /^\d[\d,]* (\/ [\d,]+ files|files \(counting…\)) · /;

/**
 * The refusal a user must see: exit code ≠ 0, one `azml: …` line on stderr (a transfer's
 * progress lines aside) that matches `says`, and no stack trace or raw error dump.
 */
export function assertRefused(result: CliResult, says: RegExp): string {
  const context = `exit ${String(result.status)}\nstderr:\n${result.stderr}\nstdout:\n${result.stdout.slice(0, 2000)}`;
  assert.notEqual(result.status, 0, `a non-zero exit code expected\n${context}`);
  assert.notEqual(result.status, null, `the CLI must exit by itself\n${context}`);
  const lines = result.stderr.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l !== '' && !progressLine.test(l) && !/^Canceling/.test(l));
  assert.equal(lines.length, 1, `exactly one message line on stderr expected\n${context}`);
  const line = lines[0]!;
  assert.match(line, /^azml: \S/, context);
  assert.doesNotMatch(result.stderr, /\n\s+at \S+ \(|\bat async\b|node:internal|\[object Object\]|\bundefined\b|(?:Type|Reference|Syntax|Range)Error\b/,
    `no stack trace or raw error expected\n${context}`);
  assert.match(line, says, context);
  assert.ok(line.length <= 600, `one readable line expected, got ${line.length} characters\n${context}`);
  return line;
}

/** Every path below `root` (folders with a trailing `/`), with each file's size: to see what a command wrote. */
export function treeOf(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      const stats = lstatSync(full);
      if (stats.isDirectory()) {
        out.push(`${prefix}${name}/`);
        walk(full, `${prefix}${name}/`);
      } else {
        out.push(`${prefix}${name} ${stats.size}`);
      }
    }
  };
  walk(root, '');
  return out;
}

/** Registers (or replaces) a datastore in the local workspace through its REST API, as any client could. */
export async function putDatastore(local: StartedLocalWorkspace, name: string, properties: Record<string, unknown>): Promise<void> {
  const { armEndpoint, subscriptionId, resourceGroup, workspace, token } = local.connection;
  const url = `${armEndpoint}/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`
    + `/providers/Microsoft.MachineLearningServices/workspaces/${workspace}/datastores/${name}?api-version=2024-10-01&skipValidation=true`;
  const response = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties }),
  });
  if (!response.ok) throw new Error(`put datastore ${name}: ${response.status} ${await response.text()}`);
}
