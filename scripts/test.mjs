// `npm test`: build and type-check gates, then every test suite; ends with one line summing them:
// "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, globSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const only = process.argv.slice(2);

function gate(name, args) {
  console.log(`\n== ${name}`);
  const result = spawnSync(node, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.log(`\n${name} failed.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

/** Suites run by mocha in plain Node. Each entry: name and the globs of its files. */
const mochaSuites = [
  ['unit', ['test/unit/**/*.test.ts']],
  ['azure clients', ['test/azure/**/*.test.ts']],
  ['local workspace service', ['test/local/**/*.test.ts']],
  ['cli', ['test/cli/**/*.test.ts']],
  ['core engines', ['test/core/**/*.test.ts']],
  ['bad input', ['test/badInput/**/*.test.ts']],
  ['network faults', ['test/faults/faultTotals.ts', 'test/faults/**/*.test.ts']],
];

function runMochaSuite(name, globs) {
  const countsDir = mkdtempSync(path.join(os.tmpdir(), 'azml-counts-'));
  const countsFile = path.join(countsDir, 'counts.json');
  console.log(`\n== ${name}`);
  const result = spawnSync(node, [
    path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--reporter', path.join(root, 'test', 'support', 'countingReporter.js'),
    ...globs,
  ], { cwd: root, stdio: 'inherit', env: { ...process.env, AZML_TEST_COUNTS_FILE: countsFile, AZML_TEST_SKIP_BUILD: '1' } });
  let counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  if (existsSync(countsFile)) counts = { ...counts, ...JSON.parse(readFileSync(countsFile, 'utf8')) };
  rmSync(countsDir, { recursive: true, force: true });
  if (result.status !== 0 && counts.failed === 0) {
    console.log(`${name}: mocha exited with ${result.status ?? result.signal} before reporting a failure; counted as 1 failed.`);
    counts.failed = 1;
    counts.failures.push({ title: `${name} (mocha)`, message: `exited with ${result.status ?? result.signal}` });
  }
  return counts;
}

gate('build', ['scripts/build.mjs']);
gate('type-check', [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit']);
gate('type-check webviews', [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'src/webview', '--noEmit']);
gate('lint', [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'src', 'test']);
gate('l10n bundles', ['scripts/l10n.mjs', '--check']);

const totals = { passed: 0, failed: 0, skipped: 0 };
const perSuite = [];
for (const [name, globs] of mochaSuites) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  if (globs.every((g) => globSync(g, { cwd: root }).length === 0)) {
    console.log(`\n== ${name}: no test files`);
    continue;
  }
  const counts = runMochaSuite(name, globs);
  perSuite.push([name, counts]);
  for (const key of Object.keys(totals)) totals[key] += counts[key];
}

/** Suites that run inside a real VS Code extension host (code-server), driven by headless Chromium. */
async function runHostSuite(name, extensionTestsPath) {
  const { runMochaInHost } = await import('./vscode-host/runMochaInHost.mjs');
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  // Each test file gets its own extension host and a fresh VS Code profile.
  for (const file of globSync('*.test.js', { cwd: path.join(root, path.dirname(extensionTestsPath)) }).sort()) {
    console.log(`\n== ${name}: ${file}`);
    const result = await runMochaInHost({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, extensionTestsPath),
      env: { AZML_TEST_SKIP_BUILD: '1', AZML_TEST_FILE: file },
      timeoutMs: 15 * 60 * 1000,
    });
    if (result.error) console.log(`${file}: ${result.error}`);
    counts.passed += result.passed ?? 0;
    counts.skipped += result.skipped ?? 0;
    counts.failed += result.failed ?? 0;
    counts.failures.push(...(result.failures ?? []));
    if (result.exitCode !== 0 && !result.failed) {
      counts.failed += 1;
      counts.failures.push({ title: file, message: result.error ?? `exited with ${result.exitCode}` });
    }
  }
  return counts;
}

const hostSuites = [['integration (VS Code extension host)', 'out/integration/index.js']];
const wantedHostSuites = hostSuites.filter(([name]) => only.length === 0 || only.some((o) => name.includes(o)));
/** Suites run by mocha in plain Node that drive code-server through headless Chromium (they package the .vsix). */
const e2eSuites = [['e2e (browser)', ['test/e2e/**/*.test.mjs']]];
const wantedE2eSuites = e2eSuites.filter(([name]) => only.length === 0 || only.some((o) => name.includes(o)));
if (wantedHostSuites.length > 0 || wantedE2eSuites.length > 0) {
  const { ensureHostInstalled } = await import('./vscode-host/install.mjs');
  await ensureHostInstalled({ log: (line) => console.log(line) });
}
if (wantedHostSuites.length > 0) {
  gate('build integration suites', ['scripts/buildTests.mjs']);
  for (const [name, testsPath] of wantedHostSuites) {
    const counts = await runHostSuite(name, testsPath);
    perSuite.push([name, counts]);
    for (const key of Object.keys(totals)) totals[key] += counts[key];
  }
}
for (const [name, globs] of wantedE2eSuites) {
  const counts = runMochaSuite(name, globs);
  perSuite.push([name, counts]);
  for (const key of Object.keys(totals)) totals[key] += counts[key];
}

// Repeated here because a long run's log is often read from its tail.
const failures = perSuite.flatMap(([name, c]) => c.failures.map((f) => ({ suite: name, ...f })));
if (failures.length > 0) {
  console.log('\nFailed:');
  for (const { suite, title, message } of failures) {
    console.log(`  ${suite}: ${title}`);
    for (const line of message.split('\n').slice(0, 6)) console.log(`      ${line}`);
  }
}

console.log('\nSuites:');
for (const [name, c] of perSuite) console.log(`  ${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
