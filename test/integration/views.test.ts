import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { Prompts } from '../../src/ui/prompts';
import { createWorkspace, startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { repoRoot } from '../support/repo';
import { watchOutgoingConnections } from './outgoingConnections';
import { eventually, extensionApi, iconId, row, rows } from './treeAccess';

const pageSize = 5;

function scriptedPick(label: string): Prompts {
  return {
    pick: async (items) => {
      const list = await items;
      const found = list.find((i) => i.label === label);
      assert.ok(found, `no "${label}" to pick among ${list.map((i) => i.label).join(', ')}`);
      return found.value;
    },
    pickMany: async () => assert.fail('unexpected multi-pick'),
    input: async () => assert.fail('unexpected input box'),
  };
}

describe('Azure ML views in a real extension host, against the seeded local workspace', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  let activation: { stop(): string[] } | undefined;

  before(async () => {
    local = await startLocalWorkspace({ seed: 'demo', pageSize });
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    assert.equal(vscode.extensions.getExtension('azureml-workbench.azureml-workbench')?.isActive, false, 'this test activates the extension');
    activation = watchOutgoingConnections();
    api = await extensionApi();
  });

  after(async () => {
    activation?.stop();
    api?.setPrompts(undefined);
    await local?.dispose();
  });

  it('activates without connecting anywhere and registers every contributed command', async () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ command: string }> };
    };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
    assert.equal(api.connections.kind, undefined, 'nothing is connected before the user asks');
    assert.deepEqual(await rows(api.views.workspaces), [], 'the welcome view shows instead of items');
    assert.deepEqual(activation!.stop(), [], 'activating and showing the views opened no connection');
  });

  it('"Use Local Workspace" connects to the running service and makes its workspace active', async () => {
    const workspace = await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    assert.equal(workspace, 'local');
    assert.equal(api.connections.kind, 'local');
    assert.equal(api.connections.activeWorkspace?.workspaceName, 'local');
    const subscription = await row(api.views.workspaces, 'Local subscription');
    const ws = await row(api.views.workspaces, 'local', subscription.node);
    assert.equal(ws.item.contextValue, 'workspace:active');
    assert.match(String(ws.item.description), /local-rg.*active/);
  });

  it('follows the data folder setting: another folder is another local workspace, and back', async () => {
    const settings = vscode.workspace.getConfiguration('azureml');
    const otherFolder = mkdtempSync(path.join(os.tmpdir(), 'azml-other-data-'));
    try {
      await settings.update('local.dataFolder', otherFolder, vscode.ConfigurationTarget.Global);
      let shown: string[] = [];
      await eventually(async () => {
        shown = (await rows(api.views.datastores)).map((r) => r.label);
        return shown[0]?.startsWith(`No local workspace is running for ${otherFolder} `) ? true : undefined;
      }, 'the datastores view saying that nothing runs on the other folder').catch((error: Error) => {
        throw new Error(`${error.message}; the view shows: ${shown.join(', ')}; dataFolder is ${String(settings.get('local.dataFolder'))}`);
      });
    } finally {
      await settings.update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
      rmSync(otherFolder, { recursive: true, force: true });
    }
    await eventually(async () => ((await rows(api.views.datastores)).length === 3 ? true : undefined), 'the datastores again');
  });

  it('lists the datastores with their type, location and the default marker', async () => {
    const datastores = await rows(api.views.datastores);
    assert.deepEqual(datastores.map((d) => d.label), ['workspaceartifactstore', 'workspaceblobstore', 'workspacefilestore']);
    const blob = datastores.find((d) => d.label === 'workspaceblobstore')!;
    const file = datastores.find((d) => d.label === 'workspacefilestore')!;
    assert.match(String(blob.item.description), /^default · devstoreaccount1\/azureml-blobstore-\S+$/);
    assert.doesNotMatch(String(file.item.description), /default/);
    assert.equal(iconId(blob.item), 'database');
    assert.equal(iconId(file.item), 'folder-library');
  });

  it('browses folders and files of a blob datastore', async () => {
    const blob = await row(api.views.datastores, 'workspaceblobstore');
    assert.deepEqual((await rows(api.views.datastores, blob.node)).map((r) => r.label), ['datasets', 'models']);
    const datasets = await row(api.views.datastores, 'datasets', blob.node);
    const transactions = await row(api.views.datastores, 'credit-card-transactions', datasets.node);
    const files = await rows(api.views.datastores, transactions.node);
    assert.deepEqual(files.map((f) => f.label), ['README.md', 'test.csv', 'train.csv', 'validation.csv']);
    assert.match(String(files.find((f) => f.label === 'train.csv')!.item.description), /KiB$/);
  });

  it('browses a file share datastore, including an empty folder', async () => {
    const share = await row(api.views.datastores, 'workspacefilestore');
    const top = await rows(api.views.datastores, share.node);
    assert.deepEqual(top.map((r) => r.label), ['config', 'notebooks', 'scratch']);
    const scratch = top.find((r) => r.label === 'scratch')!;
    assert.deepEqual((await rows(api.views.datastores, scratch.node)).map((r) => r.label), ['Empty folder']);
  });

  it('lists experiments, and runs newest first one page at a time with "Load more…"', async () => {
    const experiments = await rows(api.views.experiments);
    assert.deepEqual(experiments.map((e) => e.label).sort(), ['fraud-detection', 'image-classification']);
    const fraud = experiments.find((e) => e.label === 'fraud-detection')!;

    const firstPage = await rows(api.views.experiments, fraud.node);
    assert.equal(firstPage.at(-1)?.label, 'Load more…', 'a long list ends in "Load more…"');
    const firstRuns = firstPage.slice(0, -1);
    assert.ok(firstRuns.length >= 1 && firstRuns.length <= pageSize, `one service page, got ${firstRuns.length}`);

    await vscode.commands.executeCommand('azureml.loadMore', firstPage.at(-1)!.node);
    const afterMore = await rows(api.views.experiments, fraud.node);
    const runsAfterMore = afterMore.filter((r) => r.label !== 'Load more…');
    assert.ok(runsAfterMore.length > firstRuns.length, 'Load more adds runs');
    assert.deepEqual(runsAfterMore.slice(0, firstRuns.length).map((r) => r.item.id), firstRuns.map((r) => r.item.id));
    assert.ok(runsAfterMore.length < 64, 'never loads all runs at once');
  });

  it('"Load more…" under an experiment says how many of the workspace\'s runs were checked (the service cannot filter by experiment)', async () => {
    await vscode.commands.executeCommand('azureml.refreshExperiments');
    let withMore = 0;
    for (const experiment of ['fraud-detection', 'image-classification']) {
      const node = await row(api.views.experiments, experiment);
      const children = await rows(api.views.experiments, node.node);
      const more = children.at(-1)!;
      if (more.label !== 'Load more…') continue;
      const shown = children.length - 1;
      const match = /^(\d+) checked so far, (\d+) shown$/.exec(String(more.item.description));
      assert.ok(match, `${experiment}: "${String(more.item.description)}" says how many were checked`);
      assert.equal(Number(match[2]), shown);
      assert.ok(Number(match[1]) >= shown && Number(match[1]) % pageSize === 0, `${match[1]} runs checked, whole service pages`);
      withMore++;
    }
    assert.ok(withMore > 0, 'fraud-detection has more runs than one page');
  });

  it('shows a status icon per run state, with status and duration in the description', async () => {
    const fraud = await row(api.views.experiments, 'fraud-detection');
    const seen = new Map<string, string | undefined>();
    for (let page = 0; page < 20; page++) {
      const current = await rows(api.views.experiments, fraud.node);
      for (const r of current) {
        const state = String(r.item.contextValue ?? '').split(':')[1];
        if (state) seen.set(state, iconId(r.item));
      }
      const more = current.at(-1);
      if (seen.size >= 5 || more?.label !== 'Load more…') break;
      await vscode.commands.executeCommand('azureml.loadMore', more.node);
    }
    assert.deepEqual(Object.fromEntries(seen), {
      queued: 'clock', running: 'sync~spin', completed: 'pass', failed: 'error', canceled: 'circle-slash',
    });
    const completed = await eventually(async () => {
      const all = await rows(api.views.experiments, fraud.node);
      const done = all.find((r) => r.item.contextValue === 'run:completed' && /·.*\d+(s|m|h)\b/.test(String(r.item.description)));
      return done;
    }, 'a completed run with its duration');
    assert.match(String(completed.item.description), /^Completed · \d+(h \d+m|m \d+s|s) · /);
    const [status, duration, age] = String(completed.item.description).split(' · ');
    assert.equal(completed.item.accessibilityInformation?.label, `Run ${completed.label}, ${status}, duration ${duration}, created ${age}`,
      'a screen reader hears the state the icon shows, in words');
  });

  it('gives datastore and workspace items screen-reader labels that say what their icon and marker mean', async () => {
    const blob = await row(api.views.datastores, 'workspaceblobstore');
    assert.match(String(blob.item.accessibilityInformation?.label), /^Datastore workspaceblobstore, Azure Blob container, the default, devstoreaccount1\//);
    const subscription = await row(api.views.workspaces, 'Local subscription');
    const ws = await row(api.views.workspaces, 'local', subscription.node);
    assert.match(String(ws.item.accessibilityInformation?.label), /^Workspace local, active, resource group local-rg/);
  });

  it('lists models and their versions', async () => {
    const models = await rows(api.views.models);
    assert.deepEqual(models.map((m) => m.label), ['fraud-classifier', 'resnet50-finetuned', 'text-embedder']);
    const fraud = models[0]!;
    assert.equal(fraud.item.description, 'latest: 3');
    const versions = await rows(api.views.models, fraud.node);
    assert.deepEqual(versions.map((v) => v.label), ['Version 3', 'Version 2', 'Version 1']);
    assert.match(String(versions[0]!.item.description), /^MLflow · \d{4}-\d{2}-\d{2}/);
  });

  it('has welcome content for every empty state of every view, each with a button for the next step', async () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { viewsWelcome: Array<{ view: string; contents: string; when: string }> };
    };
    const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const registered = new Set(await vscode.commands.getCommands(true));
    const states: Array<[string, RegExp]> = [
      ['not connected', /^azureml\.connection == none$/],
      ['no workspace selected', /!azureml\.hasActiveWorkspace/],
      ['empty list', /azureml\.hasActiveWorkspace && azureml\.(datastores|experiments|models)\.empty$/],
    ];
    for (const view of ['azureml.datastores', 'azureml.experiments', 'azureml.models']) {
      for (const [state, when] of states) {
        const welcome = manifest.contributes.viewsWelcome.find((w) => w.view === view && when.test(w.when));
        assert.ok(welcome, `${view} has welcome content when ${state}`);
        if (state === 'empty list') assert.ok(welcome.when.endsWith(`${view}.empty`), welcome.when);
        // The contents are a package.nls key since localization: read the English text it stands for.
        const contents = welcome.contents.replace(/^%(.+)%$/, (_all, key: string) => nls[key] ?? welcome.contents);
        const commands = [...contents.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]!);
        assert.ok(commands.length > 0, `${view} (${state}) offers a button`);
        for (const command of commands) assert.ok(registered.has(command), `${command} is registered`);
      }
    }
  });

  it('selects another workspace from the picker, and the views follow it', async () => {
    await createWorkspace(local, 'team-ws', 'A second workspace');
    await vscode.commands.executeCommand('azureml.refreshWorkspaces');
    const subscription = await row(api.views.workspaces, 'Local subscription');
    assert.deepEqual((await rows(api.views.workspaces, subscription.node)).map((r) => r.label).sort(), ['local', 'team-ws']);

    api.setPrompts(scriptedPick('team-ws'));
    assert.equal(await vscode.commands.executeCommand('azureml.selectWorkspace'), 'team-ws');
    assert.equal(api.connections.activeWorkspace?.workspaceName, 'team-ws');
    assert.deepEqual(await rows(api.views.models), [], 'no models: the welcome content shows instead of items');
    assert.deepEqual(await rows(api.views.experiments), [], 'no runs: the welcome content shows instead of items');
    const blob = await row(api.views.datastores, 'workspaceblobstore');
    assert.doesNotMatch(String(blob.item.description), /azureml-blobstore-.*local/);

    const local2 = await row(api.views.workspaces, 'local', subscription.node);
    await vscode.commands.executeCommand('azureml.setActiveWorkspace', local2.node);
    assert.equal(api.connections.activeWorkspace?.workspaceName, 'local');
    assert.equal((await rows(api.views.models)).length, 3);
  });

  it('shows each workspace its own run when two workspaces have a run of the same name', async () => {
    const fraud = await row(api.views.experiments, 'fraud-detection');
    const completed = (await rows(api.views.experiments, fraud.node)).find((r) => /^run:completed$/.test(String(r.item.contextValue)));
    assert.ok(completed, 'a completed run in the seeded workspace');
    const name = (completed.node as { job: { name: string } }).job.name;
    await new Promise((resolve) => setTimeout(resolve, 1500)); // its details arrive after the row

    await createWorkspace(local, 'twin-ws');
    const { armEndpoint, subscriptionId, resourceGroup, token } = local.connection;
    const jobUrl = `${armEndpoint}/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`
      + `/providers/Microsoft.MachineLearningServices/workspaces/twin-ws/jobs/${name}?api-version=2024-10-01`;
    const created = await fetch(jobUrl, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { jobType: 'Command', command: 'sleep 120', environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest', experimentName: 'twin-exp' } }),
    });
    assert.equal(created.status, 201, await created.text());
    try {
      await vscode.commands.executeCommand('azureml.refreshWorkspaces');
      api.setPrompts(scriptedPick('twin-ws'));
      assert.equal(await vscode.commands.executeCommand('azureml.selectWorkspace'), 'twin-ws');
      const twin = await row(api.views.experiments, 'twin-exp');
      const [run] = await rows(api.views.experiments, twin.node);
      assert.match(String(run!.item.contextValue), /:cancellable$/, 'its own state: not finished, so Cancel Run is offered');
      assert.doesNotMatch(String(run!.item.description), /Completed/);
    } finally {
      await fetch(jobUrl.replace('?', '/cancel?'), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      api.setPrompts(scriptedPick('local'));
      await vscode.commands.executeCommand('azureml.selectWorkspace');
    }
  });

  it('masks a SAS pasted into a model version\'s tags or description, in its row and tooltip', async () => {
    const client = connectLocalWorkspace(local.connection).workspaceClient;
    const sas = 'https://acct.blob.core.windows.net/m/model.pkl?sv=2022-11-02&sr=b&sig=SECRETsig0123';
    const existing = await client.models.getVersion('text-embedder', '1');
    await client.models.createOrUpdateVersion('text-embedder', '1', {
      modelUri: existing.modelUri!, ...(existing.modelType ? { modelType: existing.modelType } : {}), description: `copied from ${sas}`, tags: { ...existing.tags, source: sas },
    });
    await vscode.commands.executeCommand('azureml.refreshModels');
    const model = await row(api.views.models, 'text-embedder');
    const version = await row(api.views.models, 'Version 1', model.node);
    const shown = `${String(version.item.description)}\n${(version.item.tooltip as vscode.MarkdownString).value}`;
    assert.match(shown, /sig=\*\*\*/);
    assert.doesNotMatch(shown, /SECRETsig0123/);
  });

  it('shows an error item with the remedy when the service is stopped, and recovers', async () => {
    await local.stop();
    await vscode.commands.executeCommand('azureml.refreshDatastores');
    const [error, ...rest] = await rows(api.views.datastores);
    assert.equal(rest.length, 0);
    assert.equal(error!.label, 'The local workspace is not running.');
    assert.equal(error!.item.command?.command, 'azureml.useLocalWorkspace');
    assert.match(String(error!.item.accessibilityInformation?.label), /^Error: The local workspace is not running\. Activate to \w/);

    local = await startLocalWorkspace({ dataDir: local.dataDir, pageSize });
    await vscode.commands.executeCommand(error!.item.command!.command);
    const datastores = await eventually(async () => {
      const all = await rows(api.views.datastores);
      return all.length === 3 ? all : undefined;
    }, 'the datastores after reconnecting');
    assert.ok(datastores.some((d) => d.label === 'workspaceblobstore'));
  });
});
