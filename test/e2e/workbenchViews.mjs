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
