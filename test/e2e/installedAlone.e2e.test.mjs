// End to end, as on a machine with no Node and no npm: the packaged extension (.vsix) installed into
// a fresh code-server whose working folder and opened folder have no node_modules anywhere above
// them. Use Local Workspace must start the local workspace (with its Azurite) from the installed
// extension alone, and `azml` must work from the installed extension's folder.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expandView, launchBrowser, openViewContainer, openWorkbench, saveScreenshot } from '../../scripts/vscode-host/browser.mjs';
import { startCodeServer } from '../../scripts/vscode-host/codeServer.mjs';
import { node24Path } from '../../scripts/vscode-host/paths.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { moveMouseAway, viewRow } from './workbenchViews.mjs';

// mocha's TypeScript hook (.mocharc.json) loads the sources.
const require = createRequire(import.meta.url);
/** @type {typeof import('../../src/local/discovery')} */
const { readDiscoveryFile } = require('../../src/local/discovery.ts');
/** @type {typeof import('../../src/local/stopLocalService')} */
const { stopLocalService } = require('../../src/local/stopLocalService.ts');

/** This environment without what npm and the repository add: no node_modules on PATH, no NODE_PATH. */
function environmentWithoutNpm() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  env.PATH = (env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules')).join(':');
  env.NODE_PATH = '';
  env.AZML_AZURITE_DIR = '';
  return env;
}

function hasNodeModulesAbove(folder) {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/** `node dist/local.js` of the installed extension; resolves with its ready line and a stop(). */
async function startInstalledLocalWorkspace(extensionDir, dataDir, cwd, env) {
  const child = spawn(node24Path, [join(extensionDir, 'dist', 'local.js'), '--data', dataDir, '--port', '0', '--seed', 'demo'], {
    cwd, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const ready = await new Promise((resolve, reject) => {
      let stdout = '';
      const guard = setTimeout(() => reject(new Error(`dist/local.js did not start within 120 s:\n${stderr}`)), 120_000);
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('\n')) {
          clearTimeout(guard);
          resolve(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))));
        }
      });
      void exited.then((code) => {
        clearTimeout(guard);
        reject(new Error(`dist/local.js exited with ${code} before it was ready:\n${stderr}`));
      });
    });
    return { ready, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

describe('e2e: the installed extension works on its own (no node_modules, no npm)', function () {
  this.timeout(300_000);

  /** @type {string} */
  let scratch;
  /** @type {string} */
  let extensionDir;
  /** @type {import('../../scripts/vscode-host/codeServer.mjs').RunningCodeServer | undefined} */
  let server;
  /** @type {import('../../scripts/vscode-host/browser.mjs').LaunchedBrowser | undefined} */
  let browser;
  const env = environmentWithoutNpm();

  before(async () => {
    const vsix = packageExtension({ reuseFresh: true });
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'azml-alone-')));
    mkdirSync(join(scratch, 'project'));
    assert.ok(!hasNodeModulesAbove(join(scratch, 'project')), `${scratch} must have no node_modules above it`);
    server = await startCodeServer({
      folder: join(scratch, 'project'),
      cwd: join(scratch, 'project'),
      env,
      vsixPaths: [vsix],
      testDriver: false,
      dataDir: join(scratch, 'code-server'),
      settings: { 'azureml.local.dataFolder': join(scratch, 'local-data') },
    });
    const installed = readdirSync(server.extensionsDir).filter((name) => name.startsWith('azureml-workbench.azureml-workbench-'));
    assert.equal(installed.length, 1, `one installed copy of the extension in ${server.extensionsDir}: ${installed.join(', ')}`);
    extensionDir = join(server.extensionsDir, installed[0]);
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    // Stop the local workspace the extension started (Azurite runs in its own process group).
    if (scratch) {
      const dataDir = join(scratch, 'local-data');
      const running = await readDiscoveryFile(dataDir).catch(() => undefined);
      if (running) await stopLocalService(dataDir, running).catch(() => undefined);
    }
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  });

  it('the installed extension carries its own Azurite and no node_modules', () => {
    assert.ok(existsSync(join(extensionDir, 'dist', 'azurite.js')), 'dist/azurite.js is installed');
    // Loaded only when the local workspace starts: the extension's own bundle does not carry it.
    assert.doesNotMatch(readFileSync(join(extensionDir, 'dist', 'extension.js'), 'utf8'), /Azurite Blob service/);
    assert.ok(!existsSync(join(extensionDir, 'node_modules')), 'no node_modules in the installed extension');
    assert.ok(!hasNodeModulesAbove(extensionDir), 'no node_modules above the installed extension');
  });

  it('Use Local Workspace (the view\'s welcome button) starts the seeded local workspace and the views show it', async () => {
    const { page } = browser;
    await openWorkbench(page, server.workbenchUrl());
    await openViewContainer(page, 'Azure ML');
    for (const view of ['Workspaces', 'Datastores', 'Experiments', 'Models']) await expandView(page, view);

    await page.locator('.part.sidebar .welcome-view-content .monaco-button', { hasText: 'Use Local Workspace' }).first().click();

    // Starting Azurite and seeding takes a while; an error notification ends the wait early.
    const blobstore = viewRow(page, 'Datastores', 'workspaceblobstore');
    const error = page.locator('.notifications-toasts .notification-list-item', { has: page.locator('.codicon-error') }).first();
    await blobstore.or(error).first().waitFor({ timeout: 120_000 });
    if (await error.isVisible()) assert.fail(`Use Local Workspace failed: ${await error.innerText()}`);

    await viewRow(page, 'Workspaces', 'local').waitFor();
    await viewRow(page, 'Experiments', 'fraud-detection').waitFor();
    await viewRow(page, 'Models', 'fraud-classifier').waitFor();
    await moveMouseAway(page);
    await saveScreenshot(page, 'installed-alone-local-workspace');
  });

  it('azml (node dist/cli.js) from the installed extension lists the datastores and models of a local workspace started from its dist/local.js', async () => {
    const cwd = join(scratch, 'project');
    const dataDir = join(scratch, 'cli-data');
    const local = await startInstalledLocalWorkspace(extensionDir, dataDir, cwd, env);
    try {
      assert.equal(local.ready.ready, true);
      const azml = (...args) => spawnSync(node24Path, [join(extensionDir, 'dist', 'cli.js'), ...args, '--local', '--data', dataDir], {
        cwd, env, encoding: 'utf8', timeout: 60_000,
      });
      const datastores = azml('datastores', '--json');
      assert.equal(datastores.status, 0, datastores.stderr);
      const names = JSON.parse(datastores.stdout).map((d) => d.name);
      assert.ok(names.includes('workspaceblobstore') && names.includes('workspacefilestore'), `datastores: ${names.join(', ')}`);
      const models = azml('models');
      assert.equal(models.status, 0, models.stderr);
      assert.match(models.stdout, /fraud-classifier\s+3/);
    } finally {
      await local.stop();
    }
  });
});
