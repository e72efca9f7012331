/**
 * What the workbench shows, read from inside the extension host: the runner's browser page
 * answers (scripts/vscode-host/workbenchProbe.mjs). The host itself has no DOM.
 */
export async function workbenchTexts(selector: string): Promise<string[]> {
  const base = process.env['AZML_TEST_WORKBENCH_PROBE'];
  if (!base) throw new Error('AZML_TEST_WORKBENCH_PROBE is not set: run this suite through scripts/vscode-host/runMochaInHost.mjs.');
  const answer = await fetch(`${base}/texts?selector=${encodeURIComponent(selector)}`, { signal: AbortSignal.timeout(15_000) });
  if (!answer.ok) throw new Error(`The workbench probe answered ${answer.status}: ${await answer.text()}`);
  return await answer.json() as string[];
}

/**
 * The text of each notification in the notification center (message, source and buttons). With
 * the smoke-test driver the host suites need, VS Code shows no toasts: open the center first
 * (`notifications.showList`), where the same notifications are listed and updated.
 */
export const notificationsInCenter = (): Promise<string[]> => workbenchTexts('.notifications-center .notification-list-item');
