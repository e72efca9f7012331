// End to end: the Get Started walkthrough of the packaged extension, as a user opens it in
// code-server (headless Chromium), with a local workspace running but not yet connected.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openWorkbench } from '../../scripts/vscode-host/browser.mjs';
import { startCodeServer } from '../../scripts/vscode-host/codeServer.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { activeWorkspaceStatus, openGetStarted, walkthroughButton, walkthroughStep, walkthroughStepCheck } from './workbenchViews.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../support/localWorkspace')} */
const { startLocalWorkspace } = require('../support/localWorkspace.ts');

const STEPS = [
  ['connect', 'Connect to a workspace'],
  ['upload', 'Upload a folder'],
  ['submit', 'Submit and watch a run'],
  ['metrics', 'Look at its metrics'],
  ['registerModel', 'Register a model'],
];

describe('e2e: Get Started walkthrough', function () {
  this.timeout(300_000);

  /** @type {Awaited<ReturnType<typeof startLocalWorkspace>>} */
  let local;
  /** @type {string} */
  let scratch;
  /** @type {import('../../scripts/vscode-host/codeServer.mjs').RunningCodeServer | undefined} */
  let server;
  /** @type {import('../../scripts/vscode-host/browser.mjs').LaunchedBrowser | undefined} */
  let browser;

  before(async () => {
    const vsix = packageExtension({ reuseFresh: true });
    local = await startLocalWorkspace({ seed: 'demo' });
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'azml-e2e-walkthrough-')));
    mkdirSync(join(scratch, 'project'));
    server = await startCodeServer({
      folder: join(scratch, 'project'),
      vsixPaths: [vsix],
      testDriver: false,
      settings: { 'azureml.local.dataFolder': local.dataDir },
    });
    browser = await launchBrowser({ viewport: { width: 1600, height: 900 } });
    await openWorkbench(browser.page, server.workbenchUrl());
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  });

  it('opening Get Started shows its five steps, none done, and the connect step offers Azure and the local workspace', async () => {
    const { page } = browser;
    await openGetStarted(page);
    for (const [id, title] of STEPS) {
      assert.equal((await walkthroughStep(page, id).locator('.step-title').innerText()).trim(), title);
      assert.equal(await walkthroughStepCheck(page, id).getAttribute('aria-checked'), 'false', `"${title}" is not done yet`);
    }
    await walkthroughButton(page, 'connect', 'Sign in to Azure').waitFor();
    await walkthroughButton(page, 'connect', 'Use Local Workspace').waitFor();
    const image = walkthroughStep(page, 'connect').locator('.image-description');
    assert.match(await image.getAttribute('aria-label') ?? '', /Azure ML side bar connected to the local workspace/);
  });

  it('after Use Local Workspace the connect step shows as done, and only that step', async () => {
    const { page } = browser;
    await walkthroughButton(page, 'connect', 'Use Local Workspace').click();
    await walkthroughStepCheck(page, 'connect').and(page.locator('[aria-checked="true"]')).waitFor({ timeout: 60_000 });
    assert.equal((await activeWorkspaceStatus(page).innerText()).trim(), 'local', 'the local workspace is the active one');
    for (const [id, title] of STEPS.slice(1)) {
      assert.equal(await walkthroughStepCheck(page, id).getAttribute('aria-checked'), 'false', `"${title}" is still to do`);
    }
  });
});
