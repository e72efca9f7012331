// End to end, as a user sees it: the packaged extension (.vsix) installed into code-server, the
// seeded local workspace, the workbench in headless Chromium. Screenshots go to
// test-results/screenshots/azureml-views-{light,dark}.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  expandView,
  launchBrowser,
  openViewContainer,
  openWorkbench,
  saveScreenshot,
  setColorTheme,
} from '../../scripts/vscode-host/browser.mjs';
import { startCodeServer } from '../../scripts/vscode-host/codeServer.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { backgroundAndInk, contrast, decodePng, luminance } from './pngPixels.mjs';
import { activeWorkspaceStatus, contextMenuLabels, expandRow, moveMouseAway, viewPane, viewRow, widenSideBar } from './workbenchViews.mjs';

// mocha's TypeScript hook (.mocharc.json) loads the shared helper that runs dist/local.js.
const require = createRequire(import.meta.url);
/** @type {typeof import('../support/localWorkspace')} */
const { createWorkspace, startLocalWorkspace } = require('../support/localWorkspace.ts');

const CONTAINER = 'Azure ML';
const VIEWS = ['Workspaces', 'Datastores', 'Experiments', 'Models'];

describe('e2e: the packaged extension in the workbench, on the seeded local workspace', function () {
  this.timeout(300_000);

  /** @type {Awaited<ReturnType<typeof startLocalWorkspace>>} */
  let local;
  /** @type {string} */
  let scratch;
  /** @type {string} */
  let vsix;
  /** @type {import('../../scripts/vscode-host/codeServer.mjs').RunningCodeServer | undefined} */
  let server;
  /** @type {import('../../scripts/vscode-host/browser.mjs').LaunchedBrowser | undefined} */
  let browser;

  /** code-server on the same profile folder and port every time, so a restart keeps the user's state. */
  let port = 0;
  const openSession = async () => {
    server = await startCodeServer({
      folder: join(scratch, 'project'),
      vsixPaths: [vsix],
      testDriver: false,
      dataDir: join(scratch, 'code-server'),
      ...(port ? { port } : {}),
      settings: {
        'workbench.colorTheme': 'Light 2026',
        'azureml.local.dataFolder': local.dataDir,
        'azureml.local.autoConnect': true,
      },
    });
    port = server.port;
    await openWorkbench(browser.page, server.workbenchUrl());
    await openViewContainer(browser.page, CONTAINER);
    for (const view of VIEWS) await expandView(browser.page, view);
  };

  before(async () => {
    vsix = packageExtension({ reuseFresh: true });
    local = await startLocalWorkspace({ seed: 'demo', pageSize: 5 });
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'azml-e2e-')));
    mkdirSync(join(scratch, 'project'));
    writeFileSync(join(scratch, 'project', 'train.py'), 'print("training")\n');
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    await openSession();
    await widenSideBar(browser.page, 460);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  });

  it('shows the local subscription and its workspace "local", active, in the Workspaces view', async () => {
    const { page } = browser;
    const subscription = viewRow(page, 'Workspaces', 'Local subscription');
    await subscription.waitFor();
    assert.equal(await subscription.getAttribute('aria-level'), '1');
    const workspace = viewRow(page, 'Workspaces', 'local');
    await workspace.waitFor();
    assert.equal(await workspace.getAttribute('aria-level'), '2', '"local" sits under "Local subscription"');
    assert.match(await workspace.innerText(), /local-rg · active/);
  });

  it('shows the datastores with the default marker, and browses into the blob datastore', async () => {
    const { page } = browser;
    const blob = viewRow(page, 'Datastores', 'workspaceblobstore');
    await blob.waitFor();
    assert.match(await blob.innerText(), /default/);
    assert.doesNotMatch(await viewRow(page, 'Datastores', 'workspacefilestore').innerText(), /default/);
    await expandRow(blob);
    const datasets = viewRow(page, 'Datastores', 'datasets');
    await datasets.waitFor();
    assert.equal(await datasets.getAttribute('aria-level'), '2');
  });

  it('shows the experiments, and a page of runs ending in "Load more…"', async () => {
    const { page } = browser;
    const fraud = viewRow(page, 'Experiments', 'fraud-detection');
    await fraud.waitFor();
    await expandRow(fraud);
    const loadMore = viewRow(page, 'Experiments', 'Load more…');
    await loadMore.waitFor();
    const runs = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header[aria-label^="Experiments"]') })
      .locator('.monaco-list-row[aria-level="2"]');
    const labels = await runs.locator('.label-name').allInnerTexts();
    const runLabels = labels.filter((label) => label !== 'Load more…');
    assert.ok(runLabels.length >= 1 && runLabels.length <= 5, `one page of runs, got ${labels.join(', ')}`);
  });

  it('shows the models and the versions of fraud-classifier', async () => {
    const { page } = browser;
    const fraud = viewRow(page, 'Models', 'fraud-classifier');
    await fraud.waitFor();
    assert.match(await fraud.innerText(), /latest: 3/);
    await expandRow(fraud);
    for (const version of ['Version 3', 'Version 2', 'Version 1']) await viewRow(page, 'Models', version).waitFor();
  });

  it('offers each item the commands that apply to it, in its context menu', async () => {
    const { page } = browser;
    const menuOf = async (row) => {
      await row.waitFor();
      return contextMenuLabels(row);
    };
    const has = (labels, wanted, unwanted, what) => {
      for (const label of wanted) assert.ok(labels.includes(label), `${what}: "${label}" among ${labels.join(', ')}`);
      for (const label of unwanted) assert.ok(!labels.includes(label), `${what}: no "${label}" among ${labels.join(', ')}`);
    };
    const transfer = ['Upload Folder…', 'Upload Files…', 'Download…'];
    has(await menuOf(viewRow(page, 'Datastores', 'workspaceblobstore')), transfer,
      ['Unregister Datastore…', 'Set as Default'], 'the default datastore');
    has(await menuOf(viewRow(page, 'Datastores', 'workspacefilestore')), [...transfer, 'Unregister Datastore…', 'Set as Default'],
      [], 'another file share datastore');
    await expandRow(viewRow(page, 'Datastores', 'workspaceblobstore'));
    has(await menuOf(viewRow(page, 'Datastores', 'datasets')), transfer, ['Unregister Datastore…'], 'a datastore folder');

    await expandRow(viewRow(page, 'Experiments', 'fraud-detection'));
    const run = (status) => viewPane(page, 'Experiments').locator('.monaco-list-row[aria-level="2"]', { hasText: ` ${status} · ` }).first();
    has(await menuOf(run('Completed')), ['Tail Run', 'Download Outputs and Logs', 'Register Model…'],
      ['Cancel Run', 'Open in Studio'], 'a completed run of the local workspace');
    has(await menuOf(run('Running')), ['Tail Run', 'Cancel Run', 'Download Outputs and Logs'],
      ['Register Model…', 'Open in Studio'], 'a running run');
    has(await menuOf(viewRow(page, 'Models', 'fraud-classifier')), ['Register Model…'], [], 'a model');

    await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'train.py' }).first();
    has(await menuOf(file), ['Upload to Datastore…', 'Register Model…'], [], 'a file in the Explorer');
    await openViewContainer(page, CONTAINER);
  });

  it('shows the active workspace in the status bar', async () => {
    const status = activeWorkspaceStatus(browser.page);
    await status.waitFor();
    assert.equal((await status.innerText()).trim(), 'local');
  });

  it('looks right in the light and the dark theme: readable labels on the theme\'s background, the active workspace\'s icon green (screenshots)', async () => {
    const { page } = browser;
    assert.equal(await page.locator('.monaco-workbench.vs').count(), 1, 'the session starts in the light theme');
    /** What the user sees of the active workspace's row and of a datastore's row, from the pixels. */
    const look = async () => {
      await moveMouseAway(page);
      const rows = [viewRow(page, 'Workspaces', 'local'), viewRow(page, 'Datastores', 'workspaceblobstore')];
      const [workspace, datastore] = await Promise.all(rows.map(async (row) => backgroundAndInk(decodePng(await row.screenshot()))));
      const icon = decodePng(await rows[0].locator('.custom-view-tree-node-item-icon, .codicon').first().screenshot());
      let greenest = 0;
      for (let y = 0; y < icon.height; y++) {
        for (let x = 0; x < icon.width; x++) {
          const [r, g, b] = icon.pixel(x, y);
          greenest = Math.max(greenest, g - Math.max(r, b));
        }
      }
      return { workspace, datastore, greenest };
    };
    const light = await look();
    await saveScreenshot(page, 'azureml-views-light');
    await setColorTheme(page, 'dark');
    const dark = await look();
    await saveScreenshot(page, 'azureml-views-dark');
    await setColorTheme(page, 'light');

    for (const [theme, seen, isLight] of [['light', light, true], ['dark', dark, false]]) {
      for (const row of [seen.workspace, seen.datastore]) {
        const bg = luminance(row.background);
        assert.ok(isLight ? bg > 0.7 : bg < 0.1, `${theme}: the rows sit on the theme's background, got rgb(${row.background})`);
        assert.ok(contrast(row.ink, row.background) >= 4.5, `${theme}: the label reads against its background (rgb(${row.ink}) on rgb(${row.background}))`);
      }
      assert.ok(seen.greenest >= 40, `${theme}: the active workspace's icon is green (testing.iconPassed), got ${seen.greenest}`);
    }
  });

  it('remembers the workspace the user picked across a restart of code-server', async () => {
    const { page } = browser;
    await createWorkspace(local, 'team-ws');
    // Pick it the way a user does: the status bar item opens the workspace picker.
    await activeWorkspaceStatus(page).click();
    const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'team-ws' }).first();
    await pick.waitFor();
    await pick.click();
    await page.waitForFunction(
      () => document.querySelector('[id$=".azureml.activeWorkspace"] .statusbar-item-label')?.textContent?.trim() === 'team-ws',
    );
    await viewPane(page, 'Models').locator('.welcome-view-content', { hasText: 'This workspace has no models yet.' }).waitFor();

    // Same profile folder and port, same browser: code-server keeps extensions' global state in the
    // browser's storage for its origin, as a user's own browser would.
    await server.stop();
    await openSession();

    const status = activeWorkspaceStatus(page);
    await status.waitFor();
    assert.equal((await status.innerText()).trim(), 'team-ws', 'the picked workspace is still active');
    await viewRow(page, 'Datastores', 'workspaceblobstore').waitFor();
    await viewPane(page, 'Models').locator('.welcome-view-content', { hasText: 'This workspace has no models yet.' }).waitFor();
    await moveMouseAway(page);
    await saveScreenshot(page, 'azureml-views-after-restart');
  });
});
