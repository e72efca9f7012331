// End to end, as a user looks at them: Run Details (a click on a run in the Experiments view)
// and Compare Runs (three runs selected, the context menu) of the packaged extension (.vsix) in
// code-server, driven in headless Chromium, against a local workspace whose runs logged metrics.
// Screenshots in the light and dark themes go to test-results/screenshots/run-metrics-*.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openViewContainer, openWorkbench, expandView, runCommand, saveScreenshot, setColorTheme, waitForWorkbench } from '../../scripts/vscode-host/browser.mjs';
import { startCodeServer } from '../../scripts/vscode-host/codeServer.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { decodePng } from './pngPixels.mjs';
import { expandRow, openContextMenu, viewPane, viewRow, widenSideBar } from './workbenchViews.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../support/localWorkspace')} */
const { startLocalWorkspace } = require('../support/localWorkspace.ts');
/** @type {typeof import('../../src/azure/localWorkspace')} */
const { connectLocalWorkspace } = require('../../src/azure/localWorkspace.ts');

const experiment = 'metrics-e2e';
const runs = [
  { name: 'metrics_run_a', displayName: 'metrics-a', lr: '0.1', scale: 1 },
  { name: 'metrics_run_b', displayName: 'metrics-b', lr: '0.01', scale: 0.7 },
  { name: 'metrics_run_c', displayName: 'metrics-c', lr: '0.001', scale: 0.4 },
];

/** The page inside the webview of the active editor (VS Code lays the webview's frame over the editor). */
function panelFrame(page) {
  return page.locator('iframe.webview.ready').last().contentFrame().locator('#active-frame').contentFrame();
}

/**
 * How many pixels of an element's screenshot are coloured (not grey): the curves, drawn in the
 * theme's chart colours, where the background, grid and axis labels are all greys.
 */
async function curvePixels(locator) {
  const image = decodePng(await locator.screenshot());
  let coloured = 0;
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) {
    const [r, g, b] = image.pixel(x, y);
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  return coloured;
}

describe('e2e: run metrics, charted in the editor', function () {
  this.timeout(300_000);
  let local;
  let scratch = '';
  let server;
  let browser;

  before(async () => {
    const vsix = packageExtension({ reuseFresh: true });
    local = await startLocalWorkspace({ seed: 'demo' });
    const { workspaceClient } = connectLocalWorkspace(local.connection);
    for (const run of runs) {
      await workspaceClient.jobs.createCommandJob({ name: run.name, displayName: run.displayName, command: 'echo trained', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: experiment });
      await workspaceClient.metrics.logBatch(run.name, { params: { lr: run.lr, epochs: '20', optimizer: 'adam' } });
      const metrics = [];
      for (let step = 0; step < 2000; step++) {
        const timestamp = 1_760_000_000_000 + step * 500;
        metrics.push({ key: 'loss', step, timestamp, value: run.scale * Math.exp(-step / 400) + 0.05 * Math.sin(step / 15) + 0.1 });
        metrics.push({ key: 'accuracy', step, timestamp, value: 1 - run.scale * Math.exp(-step / 500) * 0.8 });
      }
      for (let i = 0; i < metrics.length; i += 1000) await workspaceClient.metrics.logBatch(run.name, { metrics: metrics.slice(i, i + 1000) });
    }
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'azml-metrics-e2e-')));
    mkdirSync(join(scratch, 'project'));
    server = await startCodeServer({
      folder: join(scratch, 'project'),
      vsixPaths: [vsix],
      testDriver: false,
      settings: { 'workbench.colorTheme': 'Light 2026', 'azureml.local.dataFolder': local.dataDir, 'azureml.local.autoConnect': true },
    });
    browser = await launchBrowser({ viewport: { width: 1500, height: 1000 } });
    await openWorkbench(browser.page, server.workbenchUrl());
    await openViewContainer(browser.page, 'Azure ML');
    await expandView(browser.page, 'Experiments');
    await widenSideBar(browser.page, 380);
    await expandRow(viewRow(browser.page, 'Experiments', experiment));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  });

  it('opens Run Details with a click on the run: facts, params, and a drawn chart per metric whose values show on hover', async () => {
    const { page } = browser;
    // The runs have ended (their command echoes) and their rows show the run details' duration,
    // so the rows are final: a click is not lost to a re-render.
    for (const run of runs) await viewRow(page, 'Experiments', run.displayName).filter({ hasText: /Completed · \d+s/ }).waitFor({ timeout: 60_000 });
    await viewRow(page, 'Experiments', 'metrics-a').click();
    const frame = panelFrame(page);
    await frame.locator('h1', { hasText: 'Run metrics-a' }).waitFor({ timeout: 60_000 });
    await frame.locator('.chart-card.drawn').nth(1).waitFor({ timeout: 60_000 });
    assert.deepEqual(await frame.locator('.chart-card h2').allInnerTexts(), ['accuracy', 'loss']);
    assert.match(await frame.locator('.facts').innerText(), /Experiment\s+metrics-e2e/);
    assert.match(await frame.locator('.params table').innerText(), /lr\s+0\.1/);

    const loss = frame.locator('.chart-card[data-metric="loss"]');
    const canvas = loss.locator('canvas');
    assert.ok(await curvePixels(canvas) > 500, 'the loss chart has a curve drawn on its canvas');

    const over = loss.locator('.u-over');
    const box = await over.boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    const value = loss.locator('.u-legend .u-series').nth(1).locator('.u-value');
    await frame.locator('.chart-card[data-metric="loss"] .u-legend .u-series >> nth=0 >> .u-value').filter({ hasNotText: '--' }).waitFor();
    assert.match(await value.innerText(), /^-?\d+(\.\d+)?/, 'hovering shows the value under the pointer');
    const hovered = await value.innerText();
    // From the keyboard: the chart takes focus, End goes to the last point and shows its value.
    await page.mouse.move(5, 5);
    await loss.locator('.plot').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => true);
    assert.match(await value.innerText(), /^-?\d+(\.\d+)?/, 'the keyboard cursor shows a value too');
    assert.notEqual(await value.innerText(), hovered, 'a point near the end, not the hovered one');

    // Log scale and smoothing redraw the chart, and the choices are kept.
    await frame.getByLabel('Log scale').check();
    await frame.locator('.chart-card.drawn').nth(1).waitFor();
    assert.ok(await curvePixels(canvas) > 500, 'still drawn on a log scale');

    // Another editor hides the panel (its webview is discarded); back on its tab, the charts come
    // back from the host's copy with the chosen log scale.
    await runCommand(page, 'File: New Untitled Text File');
    await page.locator('.tabs-container .tab', { hasText: 'Run metrics-a' }).click();
    await frame.locator('.chart-card.drawn').nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await frame.getByLabel('Log scale').isChecked(), true, 'the log scale choice is kept');
    assert.ok(await curvePixels(frame.locator('.chart-card[data-metric="loss"] canvas')) > 500, 'drawn again');
    await frame.getByLabel('Log scale').uncheck();

    await page.mouse.move(5, 5);
    await saveScreenshot(page, 'run-metrics-details-light');
    await setColorTheme(page, 'dark');
    await frame.locator('.chart-card.drawn').nth(1).waitFor();
    await saveScreenshot(page, 'run-metrics-details-dark');
    await setColorTheme(page, 'light');
  });

  it('compares 3 runs selected in the Experiments view: 3 series per chart, a legend that hides a run, and the params that differ', async () => {
    const { page } = browser;
    // Only the compare panel's webview is left to find, and the three rows are seen selected
    // before the menu opens (a tree refresh between the clicks can drop a selection).
    await runCommand(page, 'View: Close All Editors');
    const selected = viewPane(page, 'Experiments').locator('.monaco-list-row.selected');
    for (let attempt = 0; attempt < 3 && await selected.count() !== 3; attempt++) {
      await viewRow(page, 'Experiments', 'metrics-a').click();
      await viewRow(page, 'Experiments', 'metrics-b').click({ modifiers: ['Control'] });
      await viewRow(page, 'Experiments', 'metrics-c').click({ modifiers: ['Control'] });
    }
    assert.equal(await selected.count(), 3, 'three runs selected');
    // A click on the entry right after the menu opened is sometimes not taken (seen under the full
    // suite's load: the menu stayed open with Compare Runs highlighted); the helper hovers and presses Enter.
    await (await openContextMenu(viewRow(page, 'Experiments', 'metrics-c'))).choose('Compare Runs');

    const frame = panelFrame(page);
    await frame.locator('h1', { hasText: 'Compare 3 runs' }).waitFor({ timeout: 60_000 });
    await frame.locator('.chart-card.drawn').nth(1).waitFor({ timeout: 60_000 });
    const loss = frame.locator('.chart-card[data-metric="loss"]');
    // uPlot's legend: the x axis, then one entry per run.
    assert.equal(await loss.locator('.u-legend .u-series').count(), 4);
    assert.deepEqual((await loss.locator('.u-legend .u-series .u-label').allInnerTexts()).slice(1), ['metrics-a', 'metrics-b', 'metrics-c']);
    assert.ok(await curvePixels(loss.locator('canvas')) > 1500, 'three curves drawn');

    const differing = await frame.locator('#params-table tr.differs th').allInnerTexts();
    assert.deepEqual(differing.map((t) => t.replace('≠', '').trim()), ['lr']);
    assert.match(await frame.locator('.params').innerText(), /1 of 3 params differ/);
    await frame.getByLabel('Differences only').check();
    assert.equal(await frame.locator('#params-table tbody tr').count(), 1);

    await frame.getByLabel('metrics-b').uncheck();
    await frame.locator('.chart-card[data-metric="loss"] .u-legend .u-series').nth(2).waitFor();
    assert.equal(await loss.locator('.u-legend .u-series').count(), 3, 'the hidden run is left out of the chart');
    await frame.getByLabel('metrics-b').check();

    await page.mouse.move(5, 5);
    await saveScreenshot(page, 'run-metrics-compare-light');
    await setColorTheme(page, 'dark');
    await frame.locator('.chart-card.drawn').nth(1).waitFor();
    await saveScreenshot(page, 'run-metrics-compare-dark');
    await setColorTheme(page, 'light');
  });

  it('brings Compare Runs and Run Details back after a window reload, with their runs and view choices', async () => {
    const { page } = browser;
    const frame = panelFrame(page);
    await frame.getByLabel('Log scale').check();
    await frame.getByLabel('metrics-b').uncheck();
    await frame.locator('.chart-card.drawn').nth(1).waitFor();

    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(page);
    // The tab shown comes back drawn, from the runs read anew, with the choices made before.
    await frame.locator('h1', { hasText: 'Compare 3 runs' }).waitFor({ timeout: 60_000 });
    await frame.locator('.chart-card.drawn').nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await frame.getByLabel('Log scale').isChecked(), true, 'log scale kept');
    assert.equal(await frame.getByLabel('metrics-b').isChecked(), false, 'the hidden run stays hidden');
    assert.equal(await frame.getByLabel('Differences only').isChecked(), true, 'differences only kept');
    assert.equal(await frame.locator('#params-table tbody tr').count(), 1);
    const loss = frame.locator('.chart-card[data-metric="loss"]');
    assert.deepEqual((await loss.locator('.u-legend .u-series .u-label').allInnerTexts()).slice(1), ['metrics-a', 'metrics-c']);
    assert.ok(await curvePixels(loss.locator('canvas')) > 500, 'curves drawn');

    // The other tab, Run Details, comes back when it is shown.
    await page.locator('.tabs-container .tab', { hasText: 'Run metrics-a' }).click();
    await frame.locator('h1', { hasText: 'Run metrics-a' }).waitFor({ timeout: 60_000 });
    await frame.locator('.chart-card.drawn').nth(1).waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('.params table').innerText(), /lr\s+0\.1/);
  });
});
