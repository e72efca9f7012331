import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SubmitResult } from '../../src/commands/runs/submitCurrentFile';
import type { WatchedRunRef } from '../../src/commands/runs/runWatchers';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { Prompts } from '../../src/ui/prompts';
import { createWorkspace, startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { pythonWaitingFor } from './goAhead';
import { filesUnder } from './logFiles';
import { eventually, extensionApi } from './treeAccess';
import { notificationsInCenter } from './workbenchProbe';

const environmentId = 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest';

/** Takes the first offer at each pick and the offered value at each input (the experiment: `events-exp`). */
const firstOffers: Prompts = {
  pick: async (items) => (await items)[0]!.value,
  pickMany: async () => assert.fail('unexpected multi-pick'),
  input: async (options) => (options.title.endsWith(': Experiment') ? 'events-exp' : options.value ?? ''),
};

describe('Run notifications through the local workspace\'s events queue, in a real extension host', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  let scratch: string;

  before(async () => {
    local = await startLocalWorkspace({ eventsQueue: 'azureml-events' });
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    await eventually(async () => api.events.listeningTo, 'the extension to receive from the local workspace\'s queue', 30_000);
    scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-events-host-'));
  });

  after(async () => {
    api?.setPrompts(undefined);
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const notificationsAbout = async (jobName: string): Promise<string[]> => {
    await vscode.commands.executeCommand('notifications.showList');
    return (await notificationsInCenter()).filter((t) => t.includes(`Run ${jobName}:`));
  };

  it('receives from the queue the local workspace names', () => {
    assert.deepEqual(api.events.listeningTo, { queue: 'azureml-events', poisonQueue: 'azureml-events-poison' });
  });

  it('announces, through its event, the end of a run followed in another window', async () => {
    // Submitted elsewhere and followed by another window: only the shared list of followed runs says so.
    const client = connectLocalWorkspace(local.connection).workspaceClient;
    const job = await client.jobs.createCommandJob({ name: `elsewhere-${Date.now()}`, environmentId, experimentName: 'events-exp', command: 'echo from elsewhere' });
    const workspace = api.connections.activeWorkspace!;
    const followed: WatchedRunRef[] = [{ jobName: job.name, workspace }];
    await api.extensionContext.globalState.update('azureml.watchedRuns', followed);
    assert.equal(api.runs.watchers.get(job.name), undefined, 'this window does not follow it');

    const shown = await eventually(async () => {
      const found = await notificationsAbout(job.name);
      return found.length > 0 ? found : undefined;
    }, `the notification that ${job.name} completed`, 60_000);
    assert.equal(shown.length, 1, shown.join('\n'));
    assert.ok(shown[0]!.includes(`Run ${job.name}: Completed.`), shown[0]);
    assert.ok(shown[0]!.includes('Show Logs') && shown[0]!.includes('Show Details'), shown[0]);
    const remembered = api.extensionContext.globalState.get<WatchedRunRef[]>('azureml.watchedRuns') ?? [];
    assert.ok(!remembered.some((r) => r.jobName === job.name), 'taken off the shared list, so no other window announces it again');
  });

  it('leaves alone the events of another workspace that reach the same queue: its window announces its runs', async () => {
    // A run of another workspace, followed in a window that shows that workspace.
    await createWorkspace(local, 'events-other-ws');
    const other = connectLocalWorkspace({ ...local.connection, workspace: 'events-other-ws' }).workspaceClient;
    const job = await other.jobs.createCommandJob({ name: `other-ws-${Date.now()}`, environmentId, experimentName: 'events-exp', command: 'echo from the other workspace' });
    const otherWorkspace = { ...api.connections.activeWorkspace!, workspaceName: 'events-other-ws' };
    await api.extensionContext.globalState.update('azureml.watchedRuns', [{ jobName: job.name, workspace: otherWorkspace }] satisfies WatchedRunRef[]);

    const logFolder = api.extensionContext.logUri.fsPath;
    await eventually(async () => filesUnder(logFolder).some(([, text]) => /Ignored a RunCompleted event of another workspace \(\/subscriptions\/.*\/workspaces\/events-other-ws\)/.test(text)) || undefined,
      `the RunCompleted event of ${job.name} received and ignored`, 90_000);
    assert.deepEqual(await notificationsAbout(job.name), [], 'not announced here');
    const remembered = api.extensionContext.globalState.get<WatchedRunRef[]>('azureml.watchedRuns') ?? [];
    assert.ok(remembered.some((r) => r.jobName === job.name), 'still on the shared list, for the window that shows its workspace');
    await api.extensionContext.globalState.update('azureml.watchedRuns', []);
  });

  it('ends the watch of a run submitted here on its event, and announces it once', async () => {
    const dir = path.join(scratch, 'events-project');
    rmSync(dir, { recursive: true, force: true });
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(dir));
    writeFileSync(path.join(dir, '.amlignore'), '*.tmp\n');
    // The script waits for this file, written once the watcher has asked the run's status (its one
    // ask for ten minutes): on a loaded machine the run could otherwise end before that ask.
    const goAhead = path.join(scratch, 'events-go-ahead');
    rmSync(goAhead, { force: true });
    writeFileSync(path.join(dir, 'hello.py'), [
      ...pythonWaitingFor(goAhead),
      'print("hello from the events test", flush=True)',
    ].join('\n') + '\n');
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'hello.py')));
    api.setPrompts(firstOffers);
    // Its status is asked once, then not for ten minutes: only its event can end the watch in time.
    api.runs.watchers.tailSchedule = { detailsMinMs: 600_000, detailsMaxMs: 600_000, detailsWhileOutputMs: 600_000 };
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('azureml.submitCurrentFile');
    assert.ok(result?.jobName);
    const watch = api.runs.watchers.get(result.jobName)!;
    await eventually(async () => /Status: (Not started|Queued|Preparing|Starting|Running)/.test(watch.log.text) || undefined,
      'the watcher\'s first status of the run', 60_000);
    writeFileSync(goAhead, '');
    const summary = await watch.done.finally(() => {
      api.runs.watchers.tailSchedule = undefined;
    });
    assert.equal(summary?.status, 'Completed');
    assert.equal(watch.endedByEvent, true, 'the RunCompleted event ended the watch');
    const shown = await eventually(async () => {
      const found = await notificationsAbout(result.jobName);
      return found.length > 0 ? found : undefined;
    }, `the notification that ${result.jobName} completed`, 30_000);
    assert.equal(shown.length, 1, shown.join('\n'));
    assert.match(shown[0]!, new RegExp(`Run ${result.jobName}: Completed after \\d+s\\.`));
  });
});
