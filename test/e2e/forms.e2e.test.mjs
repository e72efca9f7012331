// End to end, as a user fills them: the Register Datastore and Register Model forms of the
// packaged extension (.vsix) in code-server, driven in headless Chromium with the keyboard and
// clicks, against the seeded local workspace. Screenshots of each form in the light and dark
// themes go to test-results/screenshots/forms-*.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import {
  expandView,
  launchBrowser,
  openViewContainer,
  openWorkbench,
  runCommand,
  saveScreenshot,
  setColorTheme,
} from '../../scripts/vscode-host/browser.mjs';
import { startCodeServer } from '../../scripts/vscode-host/codeServer.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { viewRow } from './workbenchViews.mjs';

// mocha's TypeScript hook (.mocharc.json) loads the shared helpers.
const require = createRequire(import.meta.url);
/** @type {typeof import('../support/localWorkspace')} */
const { startLocalWorkspace } = require('../support/localWorkspace.ts');
/** @type {typeof import('../../src/azure/localWorkspace')} */
const { connectLocalWorkspace } = require('../../src/azure/localWorkspace.ts');
/** @type {typeof import('../../src/local/devStorageAccount')} */
const { devStorageAccount } = require('../../src/local/devStorageAccount.ts');
/** @type {typeof import('../support/storageKey')} */
const { localStorageKey } = require('../support/storageKey.ts');

/**
 * The form inside the webview of the active editor. VS Code lays a webview's frame over the
 * editor (outside the editor part's DOM) and puts the page in its inner frame (#active-frame).
 * @param {import('playwright-core').Page} page
 * @param {string} title the panel's title, e.g. "Register Datastore"
 */
function formFrame(page, title) {
  const frame = page.locator('iframe.webview.ready').last().contentFrame().locator('#active-frame').contentFrame();
  return frame.locator('form.form').filter({ has: frame.locator('#form-title', { hasText: title }) });
}

/**
 * Gets the form ready for a screenshot: scrolled to its top, the pointer off it (over the
 * status bar) so no hover highlight shows, and nothing focused.
 * @param {import('playwright-core').Locator} form
 */
async function readyForScreenshot(page, form) {
  await form.evaluate((el) => {
    el.ownerDocument.defaultView?.scrollTo(0, 0);
    if (el.ownerDocument.activeElement instanceof HTMLElement) el.ownerDocument.activeElement.blur();
  });
  const box = await page.locator('.part.statusbar').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}

/** Clicks a view's title action (the icons on the view's header), as a user does. */
async function clickViewAction(page, viewName, actionLabel) {
  const header = page.locator(`.part.sidebar .pane-header[aria-label^="${viewName} "]`);
  await header.hover();
  const action = header.locator(`.actions .action-label[aria-label="${actionLabel}"]`);
  await action.waitFor();
  await action.click();
}

describe('e2e: the registration forms, filled in as a user does', function () {
  this.timeout(300_000);

  /** @type {Awaited<ReturnType<typeof startLocalWorkspace>>} */
  let local;
  let scratch = '';
  /** @type {import('../../scripts/vscode-host/codeServer.mjs').RunningCodeServer | undefined} */
  let server;
  /** @type {import('../../scripts/vscode-host/browser.mjs').LaunchedBrowser | undefined} */
  let browser;
  let blobContainer = '';

  before(async () => {
    const vsix = packageExtension({ reuseFresh: true });
    local = await startLocalWorkspace({ seed: 'demo' });
    blobContainer = (await connectLocalWorkspace(local.connection).workspaceClient.datastores.get('workspaceblobstore')).containerName;
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'azml-forms-e2e-')));
    mkdirSync(join(scratch, 'project'));
    server = await startCodeServer({
      folder: join(scratch, 'project'),
      vsixPaths: [vsix],
      testDriver: false,
      settings: {
        'workbench.colorTheme': 'Light 2026',
        'azureml.local.dataFolder': local.dataDir,
        'azureml.local.autoConnect': true,
      },
    });
    browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
    await openWorkbench(browser.page, server.workbenchUrl());
    await openViewContainer(browser.page, 'Azure ML');
    for (const view of ['Datastores', 'Models']) await expandView(browser.page, view);
    await viewRow(browser.page, 'Datastores', 'workspaceblobstore').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  });

  it('registers a blob datastore from the Datastores view: keyboard, checks as you type, Check Connection, Register', async () => {
    const { page } = browser;
    await clickViewAction(page, 'Datastores', 'Register Datastore…');
    const form = formFrame(page, 'Register Datastore');
    await form.waitFor({ timeout: 60_000 });

    // Defaults from the cloud: the local workspace's endpoint suffix and protocol.
    assert.equal(await form.getByLabel('Endpoint suffix').inputValue(), 'local');
    assert.equal(await form.getByLabel('Protocol').inputValue(), 'http');

    const name = form.getByLabel('Datastore name');
    await name.click();
    await page.keyboard.type('e2e-data');
    const nameError = form.locator('#name-error');
    await nameError.getByText('Use only letters, digits and underscores (_).').waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    await name.selectText();
    await page.keyboard.type('e2e_training_data');
    await nameError.locator('.setting-error').waitFor({ state: 'detached' });
    assert.equal(await name.getAttribute('aria-invalid'), null);

    // Keyboard only: Tab into the storage type radios, arrows move the choice, and the
    // authentication offered follows the type.
    await page.keyboard.press('Tab');
    assert.equal(await form.locator('#datastoreType-AzureBlob').evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await form.locator('#datastoreType-AzureDataLakeGen2').isChecked(), true);
    await form.getByLabel('File system', { exact: true }).waitFor();
    assert.deepEqual(await form.locator('input[name="authType"]').evaluateAll((els) => els.map((e) => e.value)), ['ServicePrincipal', 'None']);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await form.locator('#datastoreType-AzureBlob').isChecked(), true);
    assert.deepEqual(await form.locator('input[name="authType"]').evaluateAll((els) => els.map((e) => e.value)), ['AccountKey', 'Sas', 'None']);

    await page.keyboard.press('Tab');
    await page.keyboard.type('devstoreaccount1');
    await page.keyboard.press('Tab');
    await page.keyboard.type(blobContainer);
    await form.getByRole('textbox', { name: 'Account key' }).fill(localStorageKey(local.dataDir));
    // The reveal button is a toggle: one translated name, aria-pressed says whether the key shows.
    const reveal = form.getByRole('button', { name: 'Show Account key', exact: true });
    assert.equal(await reveal.getAttribute('aria-pressed'), 'false');
    await reveal.click();
    assert.equal(await form.getByRole('textbox', { name: 'Account key' }).getAttribute('type'), 'text');
    assert.equal(await reveal.getAttribute('aria-pressed'), 'true');
    await reveal.click();
    assert.equal(await form.getByRole('textbox', { name: 'Account key' }).getAttribute('type'), 'password');
    await form.getByLabel('Description').fill('Training data for the fraud model, registered from the e2e test.');
    await form.getByRole('button', { name: 'Add Tag' }).click();
    await page.keyboard.type('team');
    await page.keyboard.press('Tab');
    await page.keyboard.type('risk-ml');

    await form.getByRole('button', { name: 'Check Connection' }).click();
    const status = form.locator('.status-region[role="status"] .status.success');
    await status.waitFor({ timeout: 60_000 });
    assert.match(await status.innerText(), /Connected: the container ".+" in storage account "devstoreaccount1" can be listed/);

    // Hidden behind another editor, the webview is destroyed; shown again, it gets its draft back.
    await runCommand(page, 'File: New Untitled Text File');
    await form.waitFor({ state: 'detached' });
    await page.locator('.tabs-container .tab[aria-label^="Register Datastore: "]').click();
    await form.waitFor();
    assert.equal(await form.getByLabel('Datastore name').inputValue(), 'e2e_training_data');
    assert.equal(await form.getByRole('textbox', { name: 'Account key' }).inputValue(), localStorageKey(local.dataDir), 'kept until a submit');
    assert.deepEqual(await form.locator('.tag-row input').evaluateAll((els) => els.map((e) => e.value)), ['team', 'risk-ml']);
    await form.locator('.status.success', { hasText: 'Connected:' }).waitFor();

    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') await setColorTheme(page, 'dark');
      await form.waitFor();
      await readyForScreenshot(page, form);
      await saveScreenshot(page, `forms-datastore-${theme}`);
      await form.locator('#section-authentication').evaluate((el) => el.scrollIntoView());
      await saveScreenshot(page, `forms-datastore-authentication-${theme}`);
    }

    // An error as a user meets it, in the dark theme too.
    const account = form.getByLabel('Storage account');
    await account.fill('Dev-Store');
    await form.locator('#accountName-error').getByText('Use only lowercase letters and digits.').waitFor();
    await saveScreenshot(page, 'forms-datastore-error-dark');
    await account.fill('devstoreaccount1');
    await setColorTheme(page, 'highContrast');
    await form.waitFor();
    await readyForScreenshot(page, form);
    await saveScreenshot(page, 'forms-datastore-high-contrast');
    await setColorTheme(page, 'light');

    await form.getByRole('button', { name: 'Register', exact: true }).click();
    await viewRow(page, 'Datastores', 'e2e_training_data').waitFor({ timeout: 60_000 });
    const toast = page.locator('.notifications-toasts', { hasText: 'Registered datastore "e2e_training_data"' });
    await toast.waitFor();
    assert.equal(await formFrame(page, 'Register Datastore').count(), 0, 'the form closed');
  });

  it('registers a datastore path as a model from the Models view', async () => {
    const { page } = browser;
    await clickViewAction(page, 'Models', 'Register Model…');
    const form = formFrame(page, 'Register Model');
    await form.waitFor({ timeout: 60_000 });

    await form.getByText('Datastore path', { exact: true }).click();
    await form.getByLabel('Datastore', { exact: true }).selectOption('workspaceblobstore');
    await form.getByLabel('Path in the datastore').fill('models/fraud-classifier/1/');
    await form.getByLabel('Name', { exact: true }).fill('fraud-classifier');
    // The next version of the existing model is proposed.
    await form.locator('#name-note').getByText('Existing model, latest version 3: this registers a new version.').waitFor();
    assert.equal(await form.getByLabel('Version').inputValue(), '4');
    await form.getByText('MLflow', { exact: true }).click();
    await form.getByLabel('Description').fill('Retrained on the 2025 transactions.');

    await readyForScreenshot(page, form);
    await saveScreenshot(page, 'forms-model-light');
    await setColorTheme(page, 'dark');
    await form.waitFor();
    await readyForScreenshot(page, form);
    await saveScreenshot(page, 'forms-model-dark');
    await setColorTheme(page, 'light');

    // Enter in a field submits, as in any form.
    await form.getByLabel('Description').focus();
    await form.getByLabel('Version').press('Enter');
    await page.locator('.notifications-toasts', { hasText: 'Registered model "fraud-classifier" version 4.' }).waitFor({ timeout: 60_000 });
    // The Models view refreshes and shows the new latest version.
    await viewRow(page, 'Models', 'fraud-classifier').filter({ hasText: 'latest: 4' }).waitFor();
  });

  it('registers a run\'s output as a model: runs and outputs follow the choices, and the form survives its tab being hidden', async () => {
    const { page } = browser;
    await clickViewAction(page, 'Models', 'Register Model…');
    let form = formFrame(page, 'Register Model');
    await form.waitFor({ timeout: 60_000 });

    await form.getByText('Output of a run', { exact: true }).click();
    await form.getByLabel('Experiment', { exact: true }).selectOption('fraud-detection');
    const runSelect = form.getByLabel('Run', { exact: true });
    await runSelect.locator('option[value]:not([value=""])').first().waitFor({ state: 'attached' });
    const jobName = await runSelect.locator('option[value]:not([value=""])').first().getAttribute('value');
    assert.ok(jobName, 'a completed run is offered');
    // What the run saved: its outputs, as a run writes them to the artifact store.
    const artifacts = new ContainerClient(`${local.connection.blobEndpoint}/azureml`,
      new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir)));
    await artifacts.createIfNotExists();
    for (const name of ['outputs/model/MLmodel', 'outputs/model/model.pkl']) {
      await artifacts.getBlockBlobClient(`ExperimentRun/dcid.${jobName}/${name}`).upload('x', 1);
    }
    await runSelect.selectOption(jobName);
    const outputSelect = form.getByLabel('Output', { exact: true });
    await outputSelect.locator('option[value="outputs/model/"]').waitFor({ state: 'attached' });
    await outputSelect.selectOption('outputs/model/');
    await form.getByLabel('Name', { exact: true }).fill('fraud-from-run');
    await form.locator('#name-note').getByText('A new model.').waitFor();

    // Another editor hides the form; its webview is discarded and built again when shown.
    await runCommand(page, 'Azure ML: Register Datastore…');
    await formFrame(page, 'Register Datastore').waitFor({ timeout: 60_000 });
    await page.locator('.tabs-container .tab[aria-label^="Register Model: "]').click();
    form = formFrame(page, 'Register Model');
    await form.waitFor({ timeout: 60_000 });
    assert.equal(await form.getByLabel('Experiment', { exact: true }).inputValue(), 'fraud-detection');
    await form.getByLabel('Output', { exact: true }).locator('option[value="outputs/model/"]').waitFor({ state: 'attached' });
    assert.equal(await form.getByLabel('Run', { exact: true }).inputValue(), jobName);
    assert.equal(await form.getByLabel('Output', { exact: true }).inputValue(), 'outputs/model/');
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'fraud-from-run');

    await form.getByRole('button', { name: 'Register' }).click();
    await page.locator('.notifications-toasts', { hasText: 'Registered model "fraud-from-run" version 1.' }).waitFor({ timeout: 60_000 });
    await viewRow(page, 'Models', 'fraud-from-run').waitFor();
    // The other form is still open; close it so the next test starts from a clean editor area.
    await page.locator('.tabs-container .tab[aria-label^="Register Datastore: "]').click();
    await formFrame(page, 'Register Datastore').getByRole('button', { name: 'Cancel' }).click();
  });

  it('opens the forms from the command palette too, and Cancel closes them', async () => {
    const { page } = browser;
    await runCommand(page, 'Azure ML: Register Datastore…');
    const form = formFrame(page, 'Register Datastore');
    await form.waitFor({ timeout: 60_000 });
    await form.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.tabs-container .tab[aria-label^="Register Datastore: "]').waitFor({ state: 'detached' });
  });
});
