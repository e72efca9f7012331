// Finds what a user looks at in the Azure ML views of the workbench (playwright locators).

/** The body of a view (pane) of the open side bar, by the view's name. */
export function viewPane(page, viewName) {
  return page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label^="${viewName} "]`) });
}

/** The tree row of a view whose label is exactly `label` (not merely containing it). */
export function viewRow(page, viewName, label) {
  return viewPane(page, viewName)
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
    .first();
}

/** Expands a collapsed tree row with a click on its twistie, and waits until it is expanded. */
export async function expandRow(row) {
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  await row.and(row.page().locator('[aria-expanded="true"]')).waitFor();
}

/** The extension's status bar item naming the active workspace. */
export function activeWorkspaceStatus(page) {
  return page.locator('.part.statusbar [id$=".azureml.activeWorkspace"] .statusbar-item-label');
}

/** Drags the side bar's edge so labels and descriptions show in full (and in screenshots). */
export async function widenSideBar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const edge = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(edge + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Moves the pointer over the empty editor area, so no hover tooltip covers the views in a screenshot. */
export async function moveMouseAway(page) {
  const box = await page.locator('.part.editor').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}

/**
 * The enabled entries of the context menu a right-click on `target` opens, as the user reads
 * them; the menu is closed again.
 */
export async function contextMenuLabels(target) {
  const page = target.page();
  await target.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  const labels = (await menu.locator('.action-item:not(.disabled) .action-label').allInnerTexts())
    .map((label) => label.trim())
    .filter(Boolean);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });
  return labels;
}

/**
 * Right-clicks `target` and returns its context menu: `choose(label)` runs an entry, `close()`
 * dismisses it.
 */
export async function openContextMenu(target) {
  const page = target.page();
  await target.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  return {
    menu,
    async choose(label) {
      // Hover focuses the entry; Enter runs it (a click right after the menu opened can go unseen).
      await menu.locator('.action-item:not(.disabled) .action-label', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }).hover();
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
    },
    async close() {
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
    },
  };
}

const WALKTHROUGH_ID = 'azureml-workbench.azureml-workbench#getStarted';

/** Opens the extension's Get Started walkthrough the way a user does: Welcome: Open Walkthrough… */
export async function openGetStarted(page, title = 'Get Started with Azure ML Workbench') {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Welcome: Open Walkthrough...');
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row[aria-label^="Welcome: Open Walkthrough"]').first().click();
  const walkthroughs = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
  await walkthroughs.click();
  await walkthroughStep(page, 'connect').waitFor();
}

/** A step of the Get Started walkthrough (its button in the steps list), by the step's id in package.json. */
export function walkthroughStep(page, stepId) {
  return page.locator(`.gettingStartedContainer .getting-started-step[data-step-id="${WALKTHROUGH_ID}#${stepId}"]`);
}

/** The check mark of a walkthrough step; aria-checked says whether the step is done. */
export function walkthroughStepCheck(page, stepId) {
  return page.locator(`.gettingStartedContainer [data-done-step-id="${WALKTHROUGH_ID}#${stepId}"]`).first();
}

/** A button in a walkthrough step's description (the step must be the one shown). */
export function walkthroughButton(page, stepId, label) {
  return walkthroughStep(page, stepId).locator('.button-container .monaco-button', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
}
