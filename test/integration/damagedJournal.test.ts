import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandContext } from '../../src/commands/commandContext';
import { offerResume } from '../../src/commands/transfer/transferJournals';
import { TransferJournal } from '../../src/core/transfer/journal';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { Log } from '../../src/ui/log';
import { vscodePrompts, type Prompts } from '../../src/ui/prompts';
import { eventually, extensionApi } from './treeAccess';
import { notificationsInCenter } from './workbenchProbe';

/** Prompts that answer only offers (recording them), with `answer`; any other question fails the test. */
function answeringOffers(answer: string | undefined, offered: Array<{ message: string; actions: string[] }>): Prompts {
  return {
    pick: async () => assert.fail('unexpected pick'),
    pickMany: async () => assert.fail('unexpected multi-pick'),
    input: async (options) => assert.fail(`unexpected input box: ${options.title}`),
    offer: async (message, actions) => {
      offered.push({ message, actions });
      return answer;
    },
  };
}

/**
 * An interrupted transfer whose journal plan can't be read (cut off by a crash, or not JSON): the
 * offer made on start and Resume Interrupted Upload or Download must name it, say it can't be
 * resumed and offer to discard it (never to resume it), or its folder stays in the extension's
 * global storage forever, unseen. The journal is kept where and as the extension keeps the
 * journal of an upload it runs, then damaged.
 */
describe('An interrupted transfer whose journal plan is damaged, in a real extension host', function () {
  this.timeout(120_000);
  let api: AzureMlExtensionApi;
  let work: string;
  const logged: string[] = [];
  const log: Log = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m), show: () => undefined };

  const journalRoot = (): string => api.extensionContext.globalStorageUri.fsPath;
  const journalDir = (id: string): string => path.join(journalRoot(), 'transfers', id);
  const contextWith = (prompts: Prompts): CommandContext => ({
    connections: api.connections, views: api.views, forms: api.forms, log, prompts,
    workspaceState: api.extensionContext.workspaceState, journalRoot: journalRoot(),
  });

  /** The journal of an interrupted upload of a local folder, its plan then overwritten with `plan`; its id. */
  const damagedJournal = async (plan: (written: string) => string): Promise<string> => {
    const journal = await TransferJournal.start(journalRoot(), {
      direction: 'upload', workspace: 'local:local/local/local', datastore: 'workspaceblobstore', remotePath: 'data', localRoot: work, policy: 'skip',
    });
    await journal.close();
    const planFile = path.join(journalDir(journal.plan.id), 'plan.json');
    writeFileSync(planFile, plan(readFileSync(planFile, 'utf8')));
    return journal.plan.id;
  };

  const damagedMessage = (id: string): string => `The journal of interrupted transfer ${id} is damaged (its plan is cut off or is not JSON): it can't be resumed, only discarded.`;

  /** The notification center's item whose text includes `text`, as its lines (source, buttons, message). */
  const notification = (text: string, what: string): Promise<string[]> => eventually(async () => {
    await vscode.commands.executeCommand('notifications.showList');
    return (await notificationsInCenter()).map((item) => item.split('\n')).find((lines) => lines.some((line) => line.includes(text)));
  }, what);

  before(async () => {
    api = await extensionApi();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-damaged-journal-'));
  });
  after(() => {
    api?.setPrompts(undefined);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the offer on start names it and offers Discard, not Resume; Discard removes its folder and says which temporary files may be left', async () => {
    const id = await damagedJournal((written) => written.slice(0, written.length / 2));

    // The notification itself: its message and its one button; closing it keeps the journal.
    const closed = offerResume(contextWith(vscodePrompts));
    const lines = await notification(damagedMessage(id), 'the offer to discard it in the notification center');
    assert.ok(lines.includes('Discard'), lines.join(' | '));
    assert.ok(!lines.includes('Resume'), `no Resume is offered: ${lines.join(' | ')}`);
    await vscode.commands.executeCommand('notifications.clearAll');
    await closed;
    assert.ok(existsSync(journalDir(id)), 'closing the notification keeps the journal');

    const offered: Array<{ message: string; actions: string[] }> = [];
    await offerResume(contextWith(answeringOffers('Discard', offered)));
    assert.deepEqual(offered, [{ message: damagedMessage(id), actions: ['Discard'] }]);
    assert.ok(!existsSync(journalDir(id)), 'its folder is gone');
    await notification(`Discarded transfer ${id}. Its plan could not be read, so temporary files it may have left were not removed`, 'what the discard could not remove');
    await vscode.commands.executeCommand('notifications.clearAll');

    offered.length = 0;
    await offerResume(contextWith(answeringOffers(undefined, offered)));
    assert.deepEqual(offered, [], 'nothing is offered on the next start');
  });

  it('Resume Interrupted Upload or Download, given its id or none, offers to discard it instead of resuming it', async () => {
    const first = await damagedJournal(() => 'not JSON at all');
    const offered: Array<{ message: string; actions: string[] }> = [];
    api.setPrompts(answeringOffers('Discard', offered));
    await vscode.commands.executeCommand('azureml.resumeTransfer', first);
    assert.deepEqual(offered, [{ message: damagedMessage(first), actions: ['Discard'] }]);
    assert.ok(!existsSync(journalDir(first)), 'its folder is gone');

    const second = await damagedJournal(() => '');
    offered.length = 0;
    await vscode.commands.executeCommand('azureml.resumeTransfer');
    assert.deepEqual(offered, [{ message: damagedMessage(second), actions: ['Discard'] }]);
    assert.ok(!existsSync(journalDir(second)), 'its folder is gone');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
