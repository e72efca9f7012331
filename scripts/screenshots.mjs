// `npm run screenshots`: regenerates every picture of the product from the real thing. The
// packaged extension runs in code-server on the seeded local workspace and headless Chromium
// goes through the Get Started flows: connect, upload, submit and watch a run, a demo run's
// Run Details and three runs compared, the models. It writes
//   media/walkthrough/*.png  the walkthrough's step images (in the .vsix: cropped, 800 px wide),
//   docs/images/*.png        the README's tour (full window; not in the .vsix, vsce links them),
//   media/icon.png           the marketplace icon, from media/icon.svg.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expandView, launchBrowser, openViewContainer, openWorkbench, runCommand } from './vscode-host/browser.mjs';
import { startCodeServer } from './vscode-host/codeServer.mjs';
import { ensureHostInstalled } from './vscode-host/install.mjs';
import { startLocalService } from './localServiceProcess.mjs';
import { packageExtension, repoRoot } from './package.mjs';
import { renderIcon } from './renderIcon.mjs';
import { openContextMenu, expandRow, moveMouseAway, openGetStarted, viewPane, viewRow, walkthroughButton, walkthroughStep, walkthroughStepCheck, widenSideBar } from '../test/e2e/workbenchViews.mjs';

const WALKTHROUGH_DIR = join(repoRoot, 'media', 'walkthrough');
const TOUR_DIR = join(repoRoot, 'docs', 'images');
/** Walkthrough images are crops of the window's left part: activity bar, side bar, some editor. */
const CROP = { x: 0, y: 0, width: 800, height: 520 };
/** The same, lower down: the Experiments and Models views and the panel. */
const LOWER_CROP = { x: 0, y: 280, width: 800, height: 520 };
/** The same size over the editor: the right part of the 1280 px window, below the title bar. */
const EDITOR_CROP = { x: 480, y: 36, width: 800, height: 520 };
const WALKTHROUGH_IMAGE_LIMIT = 80 * 1024;

const TRAIN_PY = `# A tiny training script: what a run of the local workspace prints, as it prints it.
import time

for epoch in range(1, 6):
    loss = 1.0 / epoch
    print(f"epoch {epoch}: loss {loss:.3f}", flush=True)
    time.sleep(0.2)
print("saved outputs/model.txt")
`;

const written = [];

/** The page inside the webview of the active editor (the Run Details or Compare Runs panel). */
function runMetricsFrame(page) {
  return page.locator('iframe.webview.ready').last().contentFrame().locator('#active-frame').contentFrame();
}

async function collapseView(page, viewName) {
  const header = page.locator(`.part.sidebar .pane-header[aria-label^="${viewName} "]`).first();
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  await header.and(page.locator('[aria-expanded="false"]')).waitFor();
}

async function collapseRow(row) {
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}

async function shoot(page, file, clip) {
  await moveMouseAway(page);
  // Let the side bar and notifications finish their animations.
  await page.waitForTimeout(400);
  await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
  written.push(file);
}

/** The step's image (cropped) and, when given a name, the README's full-window picture of the same moment. */
async function capture(page, walkthroughName, tourName, crop = CROP) {
  await closeNotifications(page);
  if (walkthroughName) await shoot(page, join(WALKTHROUGH_DIR, `${walkthroughName}.png`), crop);
  if (tourName) await shoot(page, join(TOUR_DIR, `${tourName}.png`));
}

async function closeEditors(page) {
  await runCommand(page, 'View: Close All Editors');
}

/** Closes the notification toasts (each by its own close button), so they cover nothing. */
async function closeNotifications(page) {
  const close = page.locator('.notifications-toasts .notification-toast .action-label[aria-label^="Clear Notification"]');
  while ((await close.count()) > 0) await close.first().click();
}

/** Answers each prompt of Submit Current File as Run with its proposed value until the run's log shows. */
async function submitWithDefaults(page) {
  await runCommand(page, 'Azure ML: Submit Current File as Run');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const log = page.locator('.part.panel .view-lines', { hasText: 'saved outputs/model.txt' });
  for (let answered = 0; answered < 10 && (await log.count()) === 0; answered++) {
    const prompt = await Promise.race([
      input.waitFor({ state: 'visible', timeout: 60_000 }).then(() => 'prompt'),
      log.first().waitFor({ timeout: 60_000 }).then(() => 'log'),
    ]);
    if (prompt === 'log') break;
    const title = await page.locator('.quick-input-widget .quick-input-title').innerText().catch(() => '');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (before) => {
        const widget = document.querySelector('.quick-input-widget');
        return !widget || getComputedStyle(widget).display === 'none' || widget.querySelector('.quick-input-title')?.textContent !== before;
      },
      title,
      { timeout: 30_000 },
    );
  }
  await log.first().waitFor({ timeout: 120_000 });
}

async function main() {
  await ensureHostInstalled({ log: (line) => console.log(line) });
  const icon = await renderIcon();
  written.push(icon.path);
  const vsix = packageExtension({ reuseFresh: true, log: (line) => console.log(line) });
  mkdirSync(WALKTHROUGH_DIR, { recursive: true });
  mkdirSync(TOUR_DIR, { recursive: true });

  const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'azml-screenshots-')));
  const project = join(scratch, 'project');
  mkdirSync(join(project, 'data'), { recursive: true });
  writeFileSync(join(project, 'train.py'), TRAIN_PY);
  writeFileSync(join(project, 'data', 'train.csv'), 'amount,label\n12.5,0\n980.0,1\n');
  let local;
  let server;
  let browser;
  try {
    local = await startLocalService({ dataDir: join(scratch, 'data'), seed: 'demo' });
    server = await startCodeServer({
      folder: project,
      vsixPaths: [vsix],
      testDriver: false,
      settings: { 'azureml.local.dataFolder': join(scratch, 'data'), 'workbench.colorTheme': 'Dark 2026' },
    });
    browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
    const { page } = browser;
    await openWorkbench(page, server.workbenchUrl());

    // Get Started → Use Local Workspace: the walkthrough as the README shows it, connect done.
    await openGetStarted(page);
    await walkthroughButton(page, 'connect', 'Use Local Workspace').click();
    await walkthroughStepCheck(page, 'connect').and(page.locator('[aria-checked="true"]')).waitFor({ timeout: 120_000 });
    await closeNotifications(page);
    // Wide enough for the walkthrough to show its images beside the steps.
    await page.setViewportSize({ width: 1600, height: 900 });
    await walkthroughStep(page, 'upload').click();
    // The step's image, as the .vsix packaged before this run has it (none on the very first run).
    await page.waitForFunction(() => {
      const image = document.querySelector('.gettingStartedContainer .getting-started-media img');
      return image instanceof HTMLImageElement && image.complete && image.naturalWidth > 0;
    }, undefined, { timeout: 15_000 }).catch(() => console.log('The walkthrough shows no image yet: run again to picture it in docs/images/get-started.png.'));
    await capture(page, undefined, 'get-started');
    await page.setViewportSize({ width: 1280, height: 800 });
    await closeEditors(page);

    await openViewContainer(page, 'Azure ML');
    for (const view of ['Workspaces', 'Datastores', 'Experiments', 'Models']) await expandView(page, view);
    await widenSideBar(page, 440);
    await viewRow(page, 'Workspaces', 'local').waitFor();
    await viewRow(page, 'Datastores', 'workspaceblobstore').waitFor();
    await viewRow(page, 'Models', 'fraud-classifier').waitFor();
    await capture(page, 'connect');

    // Upload: a datastore folder's menu.
    const blob = viewRow(page, 'Datastores', 'workspaceblobstore');
    await expandRow(blob);
    const datasets = viewRow(page, 'Datastores', 'datasets');
    await datasets.waitFor();
    const menu = await openContextMenu(datasets);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(WALKTHROUGH_DIR, 'upload.png'), clip: CROP });
    written.push(join(WALKTHROUGH_DIR, 'upload.png'));
    await page.screenshot({ path: join(TOUR_DIR, 'upload.png') });
    written.push(join(TOUR_DIR, 'upload.png'));
    await menu.close();

    // Submit the open file and watch it: train.py's run and its log in the Output panel.
    await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'train.py' }).first().dblclick();
    await page.locator('.part.editor .view-lines', { hasText: 'tiny training script' }).waitFor();
    await submitWithDefaults(page);
    await openViewContainer(page, 'Azure ML');
    await capture(page, 'submit', 'submit-and-watch');

    // Metrics: a click on a demo run opens Run Details, its charts drawn from the run's logged
    // metric histories; then three runs selected and compared.
    await closeEditors(page);
    await runCommand(page, 'View: Hide Panel');
    await collapseRow(viewRow(page, 'Experiments', 'project'));
    // The Experiments view alone, tall enough to show the runs to pick.
    for (const view of ['Workspaces', 'Datastores', 'Models']) await collapseView(page, view);
    const fraudRuns = viewRow(page, 'Experiments', 'fraud-detection');
    await expandRow(fraudRuns);
    const completed = viewPane(page, 'Experiments').locator('.monaco-list-row[aria-level="2"]', { hasText: ' Completed · ' });
    await completed.nth(2).waitFor();
    await completed.first().click();
    const details = runMetricsFrame(page);
    await details.locator('.chart-card.drawn').nth(3).waitFor({ timeout: 60_000 });
    await capture(page, undefined, 'run-details');
    // The step's image: the editor with the panel scrolled to its charts.
    await details.locator('.chart-card').first().evaluate((card) => card.scrollIntoView({ block: 'start' }));
    await capture(page, 'metrics', undefined, EDITOR_CROP);

    await completed.nth(1).click({ modifiers: ['Control'] });
    await completed.nth(2).click({ modifiers: ['Control'] });
    const compare = await openContextMenu(completed.nth(2));
    await compare.choose('Compare Runs');
    const compared = runMetricsFrame(page);
    await compared.locator('h1', { hasText: 'Compare 3 runs' }).waitFor({ timeout: 60_000 });
    await compared.locator('.chart-card.drawn').nth(3).waitFor({ timeout: 60_000 });
    await capture(page, undefined, 'compare-runs');
    await closeEditors(page);
    await collapseRow(fraudRuns);
    await expandView(page, 'Models');

    // Register a model: the versions of fraud-classifier.
    await expandRow(viewRow(page, 'Models', 'fraud-classifier'));
    await viewRow(page, 'Models', 'Version 1').waitFor();
    await capture(page, 'register-model', 'models', LOWER_CROP);
  } finally {
    await browser?.close();
    await server?.stop();
    await local?.stop();
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }

  let tooBig = false;
  for (const file of written) {
    const bytes = statSync(file).size;
    const limited = file.startsWith(WALKTHROUGH_DIR) && bytes > WALKTHROUGH_IMAGE_LIMIT;
    tooBig ||= limited;
    console.log(`${relative(repoRoot, file)}  ${(bytes / 1024).toFixed(1)} KiB${limited ? '  (over the 80 KiB a walkthrough image may take)' : ''}`);
  }
  if (tooBig) process.exitCode = 1;
}

await main();
