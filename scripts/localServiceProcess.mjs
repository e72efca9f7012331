// Runs the bundled local workspace service (`node dist/local.js`) in its own process group, for
// scripts written in plain JavaScript (the extension and the tests use src/local/launcher.ts).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forwardLines } from './vscode-host/codeServer.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} RunningLocalService
 * @property {Record<string, unknown> & { armEndpoint: string, workspace: string }} ready The ready line, parsed.
 * @property {number} pid
 * @property {Promise<number | string | null>} exited Settles when the service exits (code or signal).
 * @property {() => string[]} recentLog The service's last diagnostic lines (its stderr).
 * @property {() => Promise<void>} stop SIGTERM (the service stops Azurite and everything else), then
 *   SIGKILL to the group for anything left.
 */

/**
 * Starts the service on a data folder and resolves once it printed its ready line.
 * @param {{ dataDir: string, seed?: 'demo', port?: number, startTimeoutMs?: number }} options
 * @returns {Promise<RunningLocalService>}
 */
export async function startLocalService({ dataDir, seed, port = 0, startTimeoutMs = 90_000 }) {
  const args = [path.join(repoRoot, 'dist', 'local.js'), '--data', dataDir, '--port', String(port)];
  if (seed) args.push('--seed', seed);
  // Its own process group: a Ctrl-C in the terminal reaches the caller, which stops things in order.
  const child = spawn(process.execPath, args, { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const log = [];
  forwardLines(child.stderr, (line) => {
    log.push(line);
    if (log.length > 30) log.shift();
  });

  let stopping;
  const stop = () => (stopping ??= (async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    }
    try {
      process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  })());
  const killOnExit = () => {
    try {
      process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
    } catch {
      // Gone.
    }
  };
  process.on('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  try {
    const readyText = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The local workspace did not start within ${startTimeoutMs / 1000} s.`)), startTimeoutMs);
      forwardLines(child.stdout, (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      void exited.then((code) => {
        clearTimeout(timer);
        const reason = log.filter((l) => l.startsWith('azml local:')).pop()?.replace(/^azml local: /, '');
        reject(new Error(reason ?? `The local workspace exited (${code}) before it was ready.`));
      });
    });
    return { ready: JSON.parse(readyText), pid: /** @type {number} */ (child.pid), exited, recentLog: () => [...log], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
