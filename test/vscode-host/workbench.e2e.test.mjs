// End-to-end self-test of the browser helpers: the packaged fixture extension installed into
// code-server, driven through the workbench in headless Chromium.
import assert from 'node:assert/strict';
import {
  launchBrowser,
  openViewContainer,
  expandView,
  openWorkbench,
  saveScreenshot,
  setColorTheme,
  treeRow,
} from '../../scripts/vscode-host/browser.mjs';
import { startCodeServer } from '../../scripts/vscode-host/codeServer.mjs';
import { FIXTURE_CONTAINER_TITLE, FIXTURE_VIEW_NAME, createFixtureWorkspace, packageFixtureVsix } from './fixture.mjs';

describe('vscode-host: the fixture extension in the workbench (headless Chromium)', function () {
  this.timeout(180_000);

  /** @type {ReturnType<typeof createFixtureWorkspace>} */
  let workspace;
  /** @type {import('../../scripts/vscode-host/codeServer.mjs').RunningCodeServer} */
  let server;
  /** @type {import('../../scripts/vscode-host/browser.mjs').LaunchedBrowser} */
  let browser;

  before(async () => {
    workspace = createFixtureWorkspace('the e2e test');
    const vsix = packageFixtureVsix(workspace.root);
    server = await startCodeServer({ folder: workspace.folder, env: workspace.env, vsixPaths: [vsix], testDriver: false });
    browser = await launchBrowser();
    await openWorkbench(browser.page, server.workbenchUrl());
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.dispose();
  });

  it('shows the fixture container in the activity bar, lists its items, and runs the item command', async () => {
    const { page } = browser;

    await openViewContainer(page, FIXTURE_CONTAINER_TITLE);
    await expandView(page, FIXTURE_VIEW_NAME);
    await treeRow(page, 'Alpha item').waitFor();
    await treeRow(page, 'Alpha item').click();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Hello from the e2e test' });
    await toast.waitFor();

    assert.equal(await treeRow(page, 'Beta item').isVisible(), true);
    assert.match(await toast.innerText(), /Hello from the e2e test/);
  });

  it('switches between light, dark and high contrast themes and saves a screenshot of each', async () => {
    const { page } = browser;
    await openViewContainer(page, FIXTURE_CONTAINER_TITLE);

    const shots = [];
    for (const [theme, kind] of [['light', 'vs'], ['dark', 'vs-dark'], ['highContrast', 'hc-black']]) {
      await setColorTheme(page, theme);
      assert.equal(await page.locator(`.monaco-workbench.${kind}`).count(), 1, `workbench shows the ${theme} theme`);
      shots.push(await saveScreenshot(page, `vscode-host-fixture-${theme}`));
    }

    assert.equal(shots.length, 3);
  });
});
