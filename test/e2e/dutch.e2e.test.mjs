// The packaged extension in code-server started with `--locale nl`: VS Code's own UI stays English
// (its Dutch language pack can't be installed here), but the extension's views, commands, forms and
// run log come from package.nls.nl.json and l10n/bundle.l10n.nl.json. Screenshots go to
// test-results/screenshots/azureml-nl-{views,form,run}.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandView, launchBrowser, openViewContainer, openWorkbench, runCommand, saveScreenshot } from '../../scripts/vscode-host/browser.mjs';
import { startCodeServer } from '../../scripts/vscode-host/codeServer.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { expandRow, moveMouseAway, viewPane, viewRow, widenSideBar } from './workbenchViews.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../support/localWorkspace')} */
const { startLocalWorkspace } = require('../support/localWorkspace.ts');
/** @type {typeof import('../badInput/harness')} */
const { azml, localTarget } = require('../badInput/harness.ts');

const VIEWS = ['Werkruimten', 'Gegevensarchieven', 'Experimenten', 'Modellen'];

describe('e2e: the extension in Dutch (code-server --locale nl)', function () {
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
    local = await startLocalWorkspace({ seed: 'demo', pageSize: 5 });
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'azml-e2e-nl-')));
    mkdirSync(join(scratch, 'project'));
    server = await startCodeServer({
      folder: join(scratch, 'project'),
      vsixPaths: [vsix],
      testDriver: false,
      locale: 'nl',
      settings: {
        'workbench.colorTheme': 'Light 2026',
        'azureml.local.dataFolder': local.dataDir,
        'azureml.local.autoConnect': true,
      },
    });
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(browser.page, server.workbenchUrl());
    await openViewContainer(browser.page, 'Azure ML');
    for (const view of VIEWS) await expandView(browser.page, view);
    await widenSideBar(browser.page, 460);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  });

  it('shows the views under their Dutch names, with Dutch tree items', async () => {
    const { page } = browser;
    for (const view of VIEWS) await viewPane(page, view).waitFor();
    const fraud = viewRow(page, 'Modellen', 'fraud-classifier');
    await expandRow(fraud);
    await viewRow(page, 'Modellen', 'Versie 3').waitFor();
    const experiment = viewRow(page, 'Experimenten', 'fraud-detection');
    await expandRow(experiment);
    await viewRow(page, 'Experimenten', 'Meer laden…').waitFor();
    assert.match(await viewRow(page, 'Gegevensarchieven', 'workspaceblobstore').innerText(), /standaard · /);
    await moveMouseAway(page);
    await saveScreenshot(page, 'azureml-nl-views');
  });

  it('opens the Register Datastore form in Dutch from the command palette', async () => {
    const { page } = browser;
    await runCommand(page, 'Azure ML: Gegevensarchief registreren…');
    const form = page.locator('iframe.webview.ready').last().contentFrame().locator('#active-frame').contentFrame();
    await form.getByText('Naam van het gegevensarchief', { exact: true }).waitFor();
    await form.getByText('Verbinding controleren').waitFor();
    await form.getByText('Verificatie', { exact: true }).waitFor();
    // A rule of the form, run in the webview, answers in Dutch too.
    await form.locator('#name').fill('bad name');
    await form.locator('#name').blur();
    await form.getByText('Gebruik alleen letters, cijfers en onderstrepingstekens (_).').first().waitFor();
    await moveMouseAway(page);
    await saveScreenshot(page, 'azureml-nl-form');
  });

  it('follows a run in a Dutch run log', async () => {
    const { page } = browser;
    const listed = azml(['jobs', '--experiment', 'fraud-detection', '--json', ...localTarget(local)]);
    const jobName = /** @type {Array<{ name: string, status: string }>} */ (JSON.parse(listed.stdout)).find((j) => j.status === 'Completed')?.name;
    assert.ok(jobName, `a completed run of fraud-detection: ${listed.stdout}${listed.stderr}`);
    await runCommand(page, 'Azure ML: Uitvoering volgen');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(jobName);
    await input.press('Enter');
    const panel = page.locator('.part.panel');
    await panel.getByText(`Uitvoering ${jobName} in de lokale werkruimte local`).first().waitFor();
    // The summary: last in the run log, and in a notification.
    await page.locator('.notifications-toasts').getByText(`Uitvoering ${jobName}: Voltooid na `).first().waitFor();
    await moveMouseAway(page);
    await saveScreenshot(page, 'azureml-nl-run');
  });
});
