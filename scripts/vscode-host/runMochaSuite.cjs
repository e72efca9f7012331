// Runs mocha inside the VS Code extension host. An extension's `extensionTestsPath` module
// calls this from its `run()`:
//
//   exports.run = () => require('<repo>/scripts/vscode-host/runMochaSuite.cjs')
//     .runMochaSuite({ testsRoot: __dirname });
//
// mocha's report goes to the host log (the outer runner prints it); the counts go to the JSON
// file named by VSCODE_HOST_RESULTS_FILE so the outer runner can add them up.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');

const repoRoot = path.resolve(__dirname, '..', '..');
const RESULTS_FILE_ENV = 'VSCODE_HOST_RESULTS_FILE';
/** Marks mocha's report in the host log, which also carries the workbench's own chatter. */
const HOST_LOG_MARKER = '[mocha] ';

/**
 * @param {object} options
 * @param {string} [options.testsRoot] Folder searched recursively for test files.
 * @param {string[]} [options.files] Explicit test files (absolute), instead of testsRoot.
 * @param {string} [options.suffix] File name ending of test files under testsRoot (default '.test.js').
 * @param {number} [options.timeoutMs] Per-test timeout (default 30 s).
 * @param {string} [options.grep] Only run tests whose full title matches.
 * @returns {Promise<{ passed: number, failed: number, skipped: number }>} Rejects when a test failed,
 *   which makes the extension host exit with code 1.
 */
async function runMochaSuite(options) {
  // By absolute path: the extension host's module resolution starts from the extension under
  // test, which need not have mocha in its own node_modules.
  const Mocha = require(path.join(repoRoot, 'node_modules', 'mocha'));
  Mocha.reporters.Base.consoleLog = (...args) => console.log(HOST_LOG_MARKER + util.format(...args));
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.grep ? { grep: options.grep } : {}),
  });
  const files = options.files ?? findTestFiles(requireDefined(options.testsRoot, 'testsRoot'), options.suffix ?? '.test.js');
  if (files.length === 0) throw new Error(`No test files found (${options.testsRoot ?? 'files: []'})`);
  for (const file of [...files].sort()) mocha.addFile(file);
  await mocha.loadFilesAsync();

  const counts = await new Promise((resolve) => {
    const failures = [];
    const runner = mocha.run(() => {
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      resolve({ passed: stats.passes, failed: stats.failures, skipped: stats.pending, failures });
    });
    runner.on('fail', (test, error) => {
      failures.push({ title: test.fullTitle(), message: error instanceof Error ? error.message : String(error) });
    });
  });
  writeResults(counts);
  if (counts.failed > 0) throw new Error(`${counts.failed} test(s) failed`);
  return { passed: counts.passed, failed: counts.failed, skipped: counts.skipped };
}

function writeResults(counts) {
  const file = process.env[RESULTS_FILE_ENV];
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(counts, null, 2) + '\n');
}

function findTestFiles(dir, suffix) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...findTestFiles(full, suffix));
    else if (entry.isFile() && entry.name.endsWith(suffix)) found.push(full);
  }
  return found;
}

function requireDefined(value, name) {
  if (value === undefined) throw new Error(`runMochaSuite: give ${name} or files`);
  return value;
}

module.exports = { runMochaSuite, RESULTS_FILE_ENV, HOST_LOG_MARKER };
