// Self-test of the VS Code host harness on the fixture extension:
//   1. the fixture's mocha suite inside the extension host (runMochaInHost),
//   2. the same suite through @vscode/test-electron's runTests() and the executable shim,
//   3. the end-to-end workbench test in headless Chromium (screenshots in test-results/).
//
//   node scripts/vscode-host/selfTest.mjs [--in-host] [--electron] [--e2e]   (default: all)
//
// VSCODE_HOST_FIXTURE_FAIL=1 adds a deliberately failing fixture test; the self-test must then
// report "2 passed, 1 failed" and exit 1.
import Mocha from 'mocha';
import { join } from 'node:path';
import { runExtensionTests } from '../../test/runInElectron.mjs';
import { createFixtureWorkspace, fixtureExtensionPath, fixtureTestsPath } from '../../test/vscode-host/fixture.mjs';
import { ensureHostInstalled } from './install.mjs';
import { repoRoot, screenshotsDir } from './paths.mjs';
import { describeCounts, runMochaInHost } from './runMochaInHost.mjs';

const EXPECTED_FIXTURE_COUNTS = { passed: 2, failed: 0, skipped: 0 };

async function selfTestInHost() {
  const workspace = createFixtureWorkspace('the in-host self-test');
  try {
    const result = await runMochaInHost({
      extensionDevelopmentPath: fixtureExtensionPath,
      extensionTestsPath: fixtureTestsPath,
      workspaceFolder: workspace.folder,
      env: workspace.env,
      timeoutMs: 180_000,
    });
    const ok =
      result.exitCode === 0 &&
      result.passed === EXPECTED_FIXTURE_COUNTS.passed &&
      result.failed === EXPECTED_FIXTURE_COUNTS.failed &&
      result.skipped === EXPECTED_FIXTURE_COUNTS.skipped;
    const detail = `${describeCounts(result)} (exit ${result.exitCode})${result.error ? `: ${result.error}` : ''}`;
    return { ok, detail };
  } finally {
    workspace.dispose();
  }
}

async function selfTestRunTests() {
  const workspace = createFixtureWorkspace('the runTests() self-test');
  try {
    const code = await runExtensionTests({
      extensionDevelopmentPath: fixtureExtensionPath,
      extensionTestsPath: fixtureTestsPath,
      workspaceFolder: workspace.folder,
      env: workspace.env,
      downloadVSCode: false,
    });
    return { ok: code === 0, detail: `runTests() resolved ${code}` };
  } finally {
    workspace.dispose();
  }
}

async function selfTestE2e() {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 180_000 });
  mocha.addFile(join(repoRoot, 'test', 'vscode-host', 'workbench.e2e.test.mjs'));
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  const counts = { passed: stats?.passes ?? 0, failed: stats?.failures ?? 0, skipped: stats?.pending ?? 0 };
  mocha.dispose();
  return {
    ok: counts.failed === 0 && counts.passed > 0,
    detail: `${describeCounts(counts)}; screenshots in ${screenshotsDir}`,
  };
}

const STEPS = [
  { flag: '--in-host', name: 'fixture suite in the extension host', run: selfTestInHost },
  { flag: '--electron', name: '@vscode/test-electron runTests() via the shim', run: selfTestRunTests },
  { flag: '--e2e', name: 'workbench end-to-end in Chromium', run: selfTestE2e },
];

async function main(argv) {
  const chosen = STEPS.filter((step) => argv.includes(step.flag));
  const steps = chosen.length > 0 ? chosen : STEPS;
  ensureHostInstalled();

  const summary = [];
  for (const step of steps) {
    console.log(`\n=== vscode-host self-test: ${step.name}`);
    const started = Date.now();
    let outcome;
    try {
      outcome = await step.run();
    } catch (error) {
      outcome = { ok: false, detail: error instanceof Error ? error.stack ?? error.message : String(error) };
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    summary.push(`${outcome.ok ? 'ok  ' : 'FAIL'} ${step.name}: ${outcome.detail} [${seconds} s]`);
  }
  console.log('\n=== vscode-host self-test summary');
  for (const line of summary) console.log(line);
  return summary.every((line) => line.startsWith('ok')) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`vscode-host self-test: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
