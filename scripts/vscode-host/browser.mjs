// Headless Chromium (Debian's, driven by playwright-core) pointed at a running code-server:
// open the workbench, click through it, switch themes and save screenshots.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, assertHostInstalled, screenshotsDir } from './paths.mjs';

export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  // Nothing but loopback resolves, so no page can reach beyond this machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
]);

/** Labels of VS Code's default themes as the theme picker shows them (VS Code 1.139). */
export const THEMES = Object.freeze({
  light: 'Light 2026',
  dark: 'Dark 2026',
  highContrast: 'Dark High Contrast',
  highContrastLight: 'Light High Contrast',
});

/**
 * @typedef {object} LaunchedBrowser
 * @property {import('playwright-core').BrowserContext} context
 * @property {import('playwright-core').Page} page The context's first page.
 * @property {() => Promise<void>} close Closes Chromium and removes its profile folder.
 */

/**
 * Launches headless Chromium with a fresh profile.
 * @param {{ viewport?: { width: number, height: number }, headless?: boolean }} [options]
 * @returns {Promise<LaunchedBrowser>}
 */
export async function launchBrowser(options = {}) {
  assertHostInstalled();
  const profileDir = mkdtempSync(join(tmpdir(), 'vscode-host-chromium-'));
  const userDataDir = join(profileDir, 'user-data');
  const tempDir = join(profileDir, 'tmp');
  mkdirSync(tempDir, { recursive: true });
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: options.headless ?? true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1280, height: 800 },
      // Leave Ctrl-C to the caller, so it can close the browser and code-server in order and
      // remove their folders; playwright still kills Chromium if the process exits.
      handleSIGINT: false,
      handleSIGTERM: false,
      // Chromium and dconf write under these despite --user-data-dir; keep that in the profile.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(profileDir, 'xdg-config'),
        XDG_CACHE_HOME: join(profileDir, 'xdg-cache'),
        TMPDIR: tempDir,
      },
    });
  } catch (error) {
    rmSync(profileDir, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed;
  const close = () =>
    (closed ??= context
      .close()
      .catch(() => {})
      .finally(() => rmSync(profileDir, { recursive: true, force: true, maxRetries: 3 })));
  return { context, page, close };
}

/**
 * Opens the workbench of a running code-server (see codeServer.mjs) on a folder and waits
 * until it is usable: the activity bar is drawn and the extension host has started.
 * @param {import('playwright-core').Page} page
 * @param {string} workbenchUrl from RunningCodeServer.workbenchUrl(folder)
 */
export async function openWorkbench(page, workbenchUrl, { timeoutMs = 60_000 } = {}) {
  await page.goto(workbenchUrl, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await waitForWorkbench(page, { timeoutMs });
}

/** Waits for the workbench shell, the activity bar and the status bar to be drawn. */
export async function waitForWorkbench(page, { timeoutMs = 60_000 } = {}) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.activitybar .action-item').first().waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The activity-bar entry of a view container, found by the start of its title. */
export function activityBarItem(page, title) {
  return page.locator(`.part.activitybar [aria-label^="${cssString(title)}"]`).first();
}

/**
 * Opens a view container from the activity bar (a click on an already open container would
 * close the side bar, so it clicks only when the container is not showing yet).
 */
export async function openViewContainer(page, title, { timeoutMs = 30_000 } = {}) {
  const item = activityBarItem(page, title);
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  const sideBarTitle = page.locator('.part.sidebar .composite.title');
  const alreadyOpen = (await sideBarTitle.count()) > 0 && (await sideBarTitle.first().innerText()).toLowerCase().includes(title.toLowerCase());
  if (!alreadyOpen) await item.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Expands a collapsed view (pane) of the open side bar by its name. A container with a single
 * view hides that view's header and always shows its body, so there is nothing to click.
 */
export async function expandView(page, viewName, { timeoutMs = 30_000 } = {}) {
  const selector = `.part.sidebar .pane-header[aria-label^="${cssString(viewName)}"]`;
  const header = page.locator(selector).first();
  await header.waitFor({ state: 'attached', timeout: timeoutMs });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await page.locator(`${selector}[aria-expanded="true"]`).first().waitFor({ state: 'attached', timeout: timeoutMs });
}

/** A row of any tree or list in the workbench showing the given text. */
export function treeRow(page, text) {
  return page.locator('.monaco-list-row', { hasText: text }).first();
}

/**
 * Runs a command from the command palette by its label, e.g. "Preferences: Color Theme".
 * @param {import('playwright-core').Page} page
 * @param {string} label
 */
export async function runCommand(page, label, { timeoutMs = 30_000 } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const deadline = Date.now() + timeoutMs;
  // F1 goes where the keyboard focus is: a webview that was just closed (a form's Cancel) can keep
  // it, and the key is then lost. Such a press is retried with the focus given back to the workbench.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(5_000 * attempt, deadline - Date.now())) });
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await page.evaluate(() => { if (document.activeElement instanceof HTMLElement) document.activeElement.blur(); });
    }
  }
  await input.fill(`>${label}`);
  // Click the exact entry: the first (focused) match is often a longer, similar command.
  const row = quickPickRow(page, label);
  await row.waitFor({ timeout: timeoutMs });
  await row.click();
}

/**
 * Switches the color theme through the command palette and waits until the workbench shows
 * it. Accepts a key of THEMES ('light', 'dark', 'highContrast', 'highContrastLight') or a theme
 * label.
 * @param {import('playwright-core').Page} page
 * @param {string} theme
 */
export async function setColorTheme(page, theme, { timeoutMs = 30_000 } = {}) {
  const label = THEMES[/** @type {keyof typeof THEMES} */ (theme)] ?? theme;
  await runCommand(page, 'Preferences: Color Theme', { timeoutMs });
  // The palette closes and the theme picker opens in its place; wait for the picker itself.
  const pickerInput = page.locator('.quick-input-widget .quick-input-box input[placeholder*="Color Theme"]');
  await pickerInput.waitFor({ state: 'visible', timeout: timeoutMs });
  await pickerInput.fill(label);
  const row = quickPickRow(page, label);
  await row.waitFor({ timeout: timeoutMs });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: timeoutMs });
  await page.waitForFunction(
    (expected) => document.querySelector('.monaco-workbench')?.classList.contains(expected),
    themeKindClass(label),
    { timeout: timeoutMs },
  );
}

/** The quick-pick entry labelled exactly `label` (its aria-label may add ", <keybinding>" etc.). */
function quickPickRow(page, label) {
  const rows = '.quick-input-widget .quick-input-list .monaco-list-row';
  const text = cssString(label);
  return page.locator(`${rows}[aria-label="${text}"], ${rows}[aria-label^="${text},"]`).first();
}

/** The class VS Code puts on .monaco-workbench for a theme's kind. */
function themeKindClass(label) {
  if (/high contrast/i.test(label)) return /light/i.test(label) ? 'hc-light' : 'hc-black';
  return /light/i.test(label) ? 'vs' : 'vs-dark';
}

/**
 * Saves a full-window screenshot as <dir>/<name>.png and returns its path.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {{ dir?: string }} [options] default test-results/screenshots
 */
export async function saveScreenshot(page, name, { dir = screenshotsDir } = {}) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  // Let transitions (theme change, side bar animation) settle before capturing.
  await page.waitForTimeout(300);
  await page.screenshot({ path });
  return path;
}

function cssString(text) {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
