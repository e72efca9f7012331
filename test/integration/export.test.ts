import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportIndex } from '../../src/core/export/exportWorkspace';
import { collectPages } from '../../src/core/pages';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { Prompts } from '../../src/ui/prompts';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { extensionApi, row } from './treeAccess';

describe('Export Workspace Data in a real extension host, against the seeded local workspace', function () {
  this.timeout(240_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  let scratch: string;

  before(async () => {
    local = await startLocalWorkspace({ seed: 'demo' });
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-export-host-'));
  });

  after(async () => {
    api?.setPrompts(undefined);
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('is on every workspace in the Workspaces view and in the palette', () => {
    const manifest = vscode.extensions.getExtension('azureml-workbench.azureml-workbench')!.packageJSON as {
      contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    const onItem = manifest.contributes.menus['view/item/context']!.find((m) => m.command === 'azureml.exportWorkspaceData');
    assert.match(onItem?.when ?? '', /view == azureml\.workspaces && viewItem =~ \/\^workspace\//);
    const inPalette = manifest.contributes.menus['commandPalette']!.find((m) => m.command === 'azureml.exportWorkspaceData');
    assert.equal(inPalette?.when, 'azureml.hasActiveWorkspace');
  });

  it('exports the clicked workspace into the picked folder, asking what to do with artifacts', async () => {
    const subscription = await row(api.views.workspaces, 'Local subscription');
    const workspace = await row(api.views.workspaces, 'local', subscription.node);
    const folder = path.join(scratch, 'export');
    const asked: string[] = [];
    const prompts: Prompts = {
      pick: async (items, options) => {
        asked.push(options.title);
        const list = await items;
        return list.find((item) => item.value === false)!.value;
      },
      pickMany: async () => assert.fail('unexpected multi-pick'),
      input: async () => assert.fail('unexpected input'),
      pickFolder: async (options) => {
        asked.push(options.title);
        return folder;
      },
    };
    api.setPrompts(prompts);
    const result = await vscode.commands.executeCommand<{ folder: string; index: ExportIndex } | undefined>('azureml.exportWorkspaceData', workspace.node);
    assert.ok(result, 'the command answers what it exported');
    assert.deepEqual(asked, ['Export the data of workspace local into…', 'Export Workspace Data']);
    assert.equal(result.folder, folder);
    assert.deepEqual(JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8')), result.index);
    assert.equal(result.index.includeArtifacts, false);

    const { client } = await api.connections.activeWorkspaceClient();
    const jobs = await collectPages((t) => client.jobs.list({ listViewType: 'All', ...(t ? { continuationToken: t } : {}) }));
    assert.deepEqual(result.index.kinds['jobs'], { files: ['jobs.jsonl', 'metrics.jsonl', 'artifacts.jsonl'], count: jobs.length });
    const names = readFileSync(path.join(folder, 'jobs.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { job: { name: string } }).job.name);
    assert.deepEqual(names, jobs.map((j) => j.name));
    assert.ok(!existsSync(path.join(folder, 'artifacts')), 'no artifact files without asking for them');
  });
});
