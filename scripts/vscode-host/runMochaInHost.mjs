// Runs an extension's test suite inside a real VS Code extension host (code-server), driven by
// headless Chromium, and reports the exit code and mocha's counts.
//
//   node scripts/vscode-host/runMochaInHost.mjs \
//     --extensionDevelopmentPath <dir> --extensionTestsPath <module exporting run()> \
//     [--folder <workspace dir>] [--env KEY=VALUE ...] [--vsix <file> ...] [--timeout <s>] [--verbose]
//
// Test configuration reaches the extension host as environment variables: code-server's
// extension host inherits the server's environment, so `env` is set on the server process.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import suiteRunner from './runMochaSuite.cjs';
import { PROBE_URL_ENV, startWorkbenchProbe } from './workbenchProbe.mjs';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/**
 * @typedef {object} HostTestOptions
 * @property {string} extensionDevelopmentPath Folder of the extension under test.
 * @property {string} extensionTestsPath Module (or folder with index.js) exporting `run()`.
 * @property {string} [workspaceFolder] Folder the workbench opens (default: a new empty one).
 * @property {Record<string, string>} [env] Environment for the extension host (test config).
 * @property {string[]} [vsixPaths] Extensions to install first (e.g. dependencies).
 * @property {Record<string, unknown>} [settings] User settings for the session.
 * @property {number} [timeoutMs] Whole-run limit (default 10 min).
 * @property {boolean} [verbose] Also print the workbench's and code-server's own log lines.
 * @property {(line: string) => void} [log] Where lines go (default stdout).
 * @property {AbortSignal} [signal] Ends the run early (exit code 130), still cleaning up.
 */

/**
 * @typedef {object} HostTestResult
 * @property {number} exitCode 0 when the suite passed; 1 when it failed, timed out or crashed.
 * @property {number} passed
 * @property {number} failed
 * @property {number} skipped
 * @property {{ title: string, message: string }[]} failures The failed tests' full titles and messages.
 * @property {number} durationMs
 * @property {string} [error] Why the run ended without a result, or why counts are missing.
 */

/**
 * @param {HostTestOptions} options
 * @returns {Promise<HostTestResult>}
 */
export async function runMochaInHost(options) {
  const started = Date.now();
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const extensionDevelopmentPath = resolve(options.extensionDevelopmentPath);
  const extensionTestsPath = resolve(options.extensionTestsPath);
  for (const [name, path] of Object.entries({ extensionDevelopmentPath, extensionTestsPath })) {
    if (!existsSync(path)) throw new Error(`${name} does not exist: ${path}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const scratch = mkdtempSync(join(tmpdir(), 'vscode-host-run-'));
  const resultsFile = join(scratch, 'results.json');
  const workspaceFolder = options.workspaceFolder ? resolve(options.workspaceFolder) : join(scratch, 'workspace');
  mkdirSync(workspaceFolder, { recursive: true });

  /** @type {import('./codeServer.mjs').RunningCodeServer | undefined} */
  let server;
  /** @type {import('./browser.mjs').LaunchedBrowser | undefined} */
  let browser;
  let timer;
  let finished = false;
  const probe = await startWorkbenchProbe(() => browser?.page);
  try {
    server = await startCodeServer({
      folder: workspaceFolder,
      env: { ...options.env, [suiteRunner.RESULTS_FILE_ENV]: resultsFile, [PROBE_URL_ENV]: probe.url },
      settings: options.settings,
      vsixPaths: options.vsixPaths,
      testDriver: true,
      log: (line) => {
        if (options.verbose && !finished) log(`[code-server] ${line}`);
      },
    });
    browser = await launchBrowser();
    const { page } = browser;
    options.signal?.throwIfAborted();

    /** @type {(outcome: { exitCode: number, error?: string }) => void} */
    let settle = () => {};
    /** @type {Promise<{ exitCode: number, error?: string }>} */
    const outcome = new Promise((resolveOutcome) => {
      settle = resolveOutcome;
    });
    timer = setTimeout(
      () =>
        settle({
          exitCode: 1,
          error:
            `Timed out after ${Math.round(timeoutMs / 1000)} s: the extension host never reported the end of ` +
            `the suite. Check that ${extensionTestsPath} exports run() and that it settles.`,
        }),
      timeoutMs,
    );
    page.on('crash', () => settle({ exitCode: 1, error: 'The workbench page crashed.' }));
    options.signal?.addEventListener('abort', () => settle({ exitCode: 130, error: 'Interrupted.' }), { once: true });
    void server.exited.then((code) => settle({ exitCode: 1, error: `code-server exited (${code}) before the suite finished.` }));
    // Both must exist before the workbench loads: it looks for them once, at startup.
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => settle({ exitCode: code }));
    await page.exposeFunction('codeAutomationLog', (/** @type {string} */ type, /** @type {unknown[]} */ args) => {
      if (!finished) printHostLogEntry(type, args, { verbose: options.verbose ?? false, log });
    });

    const url = server.workbenchUrl(workspaceFolder, { extensionDevelopmentPath, extensionTestsPath });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });

    const { exitCode, error } = await outcome;
    finished = true;
    const counts = readCounts(resultsFile);
    const result = {
      exitCode,
      passed: counts?.passed ?? 0,
      failed: counts?.failed ?? 0,
      skipped: counts?.skipped ?? 0,
      failures: counts?.failures ?? [],
      durationMs: Date.now() - started,
      ...(error ? { error } : {}),
    };
    if (!error && !counts) {
      result.error = `The suite wrote no results to ${suiteRunner.RESULTS_FILE_ENV}; counts are unknown (use scripts/vscode-host/runMochaSuite.cjs).`;
    }
    if (exitCode === 0 && result.failed > 0) result.exitCode = 1;
    return result;
  } finally {
    finished = true;
    clearTimeout(timer);
    await probe.close();
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * One entry of the host log: mocha's report always; errors and warnings too, minus the
 * workbench's benign cancellations and its minified stack frames; everything in verbose mode.
 */
function printHostLogEntry(type, args, { verbose, log }) {
  const text = Array.isArray(args) ? format(...args) : String(args);
  if (text.startsWith(suiteRunner.HOST_LOG_MARKER)) {
    log(text.slice(suiteRunner.HOST_LOG_MARKER.length));
  } else if (verbose) {
    log(`[host ${type}] ${text}`);
  } else if ((type === 'error' || type === 'warn') && !BENIGN_WORKBENCH_MESSAGE.test(text)) {
    const lines = text.split('\n').filter((line) => !WORKBENCH_FRAME.test(line));
    log(`[host ${type}] ${lines.join('\n')}`);
  }
}

/** Cancellations during shutdown and start-up timing notes, logged by every healthy run. */
const BENIGN_WORKBENCH_MESSAGE = /^(Canceled\b|Creation of workbench contribution '[^']*' took \d+ms)/;

/** A stack frame inside the workbench's own bundle: noise when debugging an extension. */
const WORKBENCH_FRAME = /^\s+at .*\/static\/out\/vs\//;

function readCounts(resultsFile) {
  try {
    const { passed, failed, skipped, failures } = JSON.parse(readFileSync(resultsFile, 'utf8'));
    return {
      passed: Number(passed) || 0,
      failed: Number(failed) || 0,
      skipped: Number(skipped) || 0,
      failures: Array.isArray(failures) ? failures : [],
    };
  } catch {
    return undefined;
  }
}

/** "2 passed, 0 failed, 0 skipped" */
export function describeCounts({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/**
 * Reads the command line: flags as `--name value` or `--name=value`; a bare argument is the
 * workspace folder (that is how @vscode/test-electron passes `launchArgs`). Flags it does not
 * know (VS Code's own, e.g. --disable-extensions) are ignored.
 * @param {string[]} argv
 */
export function parseHostArgs(argv) {
  /** @type {HostTestOptions & { resultsJson?: string }} */
  const options = { extensionDevelopmentPath: '', extensionTestsPath: '', env: {}, vsixPaths: [] };
  const valueFlags = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'folder', 'env', 'vsix', 'timeout', 'results-json']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      options.workspaceFolder ??= arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (name === 'verbose') {
      options.verbose = true;
      continue;
    }
    if (!valueFlags.has(name)) continue;
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`--${name} needs a value`);
    if (name === 'extensionDevelopmentPath') options.extensionDevelopmentPath = value;
    else if (name === 'extensionTestsPath') options.extensionTestsPath = value;
    else if (name === 'folder') options.workspaceFolder = value;
    else if (name === 'vsix') options.vsixPaths?.push(value);
    else if (name === 'timeout') options.timeoutMs = Number(value) * 1000;
    else if (name === 'results-json') options.resultsJson = value;
    else if (name === 'env') {
      const sep = value.indexOf('=');
      if (sep <= 0) throw new Error(`--env wants KEY=VALUE, got ${value}`);
      /** @type {Record<string, string>} */ (options.env)[value.slice(0, sep)] = value.slice(sep + 1);
    }
  }
  if (!options.extensionDevelopmentPath || !options.extensionTestsPath) {
    throw new Error('Give --extensionDevelopmentPath and --extensionTestsPath');
  }
  return options;
}

/** CLI: runs the suite, prints the counts, exits with the suite's exit code. */
export async function main(argv = process.argv.slice(2)) {
  const { resultsJson, ...options } = parseHostArgs(argv);
  // First Ctrl-C: stop the run and clean up. Second: exit now (codeServer.mjs still kills its
  // process groups and playwright kills Chromium on exit; temp folders may stay behind).
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const result = await runMochaInHost({ ...options, signal: interrupt.signal });
  if (result.error) console.error(`vscode-host: ${result.error}`);
  console.log(`vscode-host: ${describeCounts(result)} (exit ${result.exitCode}) in ${(result.durationMs / 1000).toFixed(1)} s`);
  if (resultsJson) writeFileSync(resultsJson, JSON.stringify(result, null, 2) + '\n');
  return result.exitCode;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(`vscode-host: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
