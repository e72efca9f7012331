// A cloned repository opened in Restricted Mode (workspace trust on, the folder not trusted): the
// packaged extension still works, from the user's settings, and ignores what the folder's own
// .vscode/settings.json says about the local workspace's data folder and Azurite.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandView, launchBrowser, openViewContainer, openWorkbench, runCommand } from '../../scripts/vscode-host/browser.mjs';
import { startCodeServer } from '../../scripts/vscode-host/codeServer.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { viewRow } from './workbenchViews.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../support/localWorkspace')} */
const { startLocalWorkspace } = require('../support/localWorkspace.ts');

describe('e2e: Restricted Mode, on a folder whose settings point the extension elsewhere', function () {
  this.timeout(300_000);

  /** @type {Awaited<ReturnType<typeof startLocalWorkspace>>} */
  let local;
  let scratch = '';
  /** @type {import('../../scripts/vscode-host/codeServer.mjs').RunningCodeServer | undefined} */
  let server;
  /** @type {import('../../scripts/vscode-host/browser.mjs').LaunchedBrowser | undefined} */
  let browser;
  /** Requests that reached the service the folder's settings name. */
  const decoyRequests = [];
  /** @type {import('node:http').Server | undefined} */
  let decoy;

  before(async () => {
    const vsix = packageExtension({ reuseFresh: true });
    local = await startLocalWorkspace({ seed: 'demo' });
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'azml-restricted-e2e-')));

    // What the repository would like the extension to use: its own "local workspace" (which
    // would get the user's requests) and its own Azurite (which would run its code).
    decoy = createServer((req, res) => {
      decoyRequests.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise((resolve) => decoy.listen(0, '127.0.0.1', () => resolve(undefined)));
    const decoyUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (decoy.address()).port}`;
    const repoData = join(scratch, 'repo-data');
    mkdirSync(repoData);
    writeFileSync(join(repoData, 'local-workspace.json'), JSON.stringify({
      ...local.connection, pid: process.pid, armEndpoint: decoyUrl, subscriptionId: '99999999-9999-9999-9999-999999999999', token: 'decoy',
    }), { mode: 0o600 });
    // An "Azurite" that only leaves a mark when it runs.
    const repoAzurite = join(scratch, 'repo-azurite');
    mkdirSync(join(repoAzurite, 'dist', 'src'), { recursive: true });
    writeFileSync(join(repoAzurite, 'package.json'), '{ "name": "azurite", "version": "3.37.0" }\n');
    writeFileSync(join(repoAzurite, 'dist', 'src', 'azurite.js'),
      `require('node:fs').writeFileSync(${JSON.stringify(repoAzuriteRan())}, 'ran');\nprocess.exit(1);\n`);
    const project = join(scratch, 'project');
    mkdirSync(join(project, '.vscode'), { recursive: true });
    writeFileSync(join(project, '.vscode', 'settings.json'), JSON.stringify({
      'azureml.local.dataFolder': repoData,
      'azureml.local.azuritePath': repoAzurite,
      'azureml.local.autoConnect': true,
    }, null, 2));
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    vsixPath = vsix;
  });

  let vsixPath = '';
  const repoAzuriteRan = () => join(scratch, 'repo-azurite-ran');

  /** code-server with trust on, on the repository's folder, with these user settings. */
  const openSession = async (userSettings) => {
    await server?.stop();
    server = await startCodeServer({
      folder: join(scratch, 'project'),
      vsixPaths: [vsixPath],
      testDriver: false,
      workspaceTrust: true,
      settings: userSettings,
    });
    await openWorkbench(browser.page, server.workbenchUrl());
    await browser.page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).waitFor();
  };

  after(async () => {
    await browser?.close();
    await server?.stop();
    await local?.dispose();
    await new Promise((resolve) => (decoy ? decoy.close(() => resolve(undefined)) : resolve(undefined)));
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  });

  it('works in Restricted Mode on the user\'s local workspace; the folder\'s data folder is never read', async () => {
    await openSession({ 'azureml.local.dataFolder': local.dataDir });
    const { page } = browser;
    await openViewContainer(page, 'Azure ML');
    for (const view of ['Workspaces', 'Datastores']) await expandView(page, view);
    // autoConnect (the folder may set it) connects, to the workspace of the user's data folder.
    await viewRow(page, 'Workspaces', 'Local subscription').waitFor({ timeout: 60_000 });
    await viewRow(page, 'Workspaces', 'local').waitFor();
    await viewRow(page, 'Datastores', 'workspaceblobstore').waitFor({ timeout: 60_000 });
    assert.deepEqual(decoyRequests, [], 'nothing was sent to the service named in the folder\'s data folder');
  });

  it('"Use Local Workspace" in Restricted Mode starts the local workspace with the Azurite it finds itself, not the folder\'s', async () => {
    const userData = join(scratch, 'user-local-workspace');
    await openSession({ 'azureml.local.dataFolder': userData });
    const { page } = browser;
    await openViewContainer(page, 'Azure ML');
    await runCommand(page, 'Azure ML: Use Local Workspace');
    const discovery = join(userData, 'local-workspace.json');
    const until = async (condition, what) => {
      for (let i = 0; i < 600 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 200));
      if (!condition()) assert.fail(`${what}; notifications: ${await page.locator('.notifications-toasts').innerText().catch(() => '')}`);
    };
    await until(() => existsSync(discovery) || existsSync(repoAzuriteRan()), 'the local workspace started');
    assert.equal(existsSync(repoAzuriteRan()), false, 'the folder\'s azuritePath was not run');
    assert.equal(existsSync(discovery), true, 'the local workspace runs on the user\'s data folder');
    await runCommand(page, 'Azure ML: Stop Local Workspace');
    await until(() => !existsSync(discovery), 'Stop Local Workspace stopped it');
  });
});
