import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AzureMlExtensionApi } from '../../src/extension';
import { writeDiscoveryFile } from '../../src/local/discovery';
import { startFaultyWorkspace, type FaultyWorkspace } from '../faults/faultyWorkspace';
import { extensionApi, rows, type Row, type TreeLike } from './treeAccess';

/** Every label of a view's top level, and one level below each expandable item. */
async function outline(tree: TreeLike): Promise<string[]> {
  const labels: string[] = [];
  for (const top of await rows(tree)) {
    labels.push(top.label);
    if (top.item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
      for (const child of await rows(tree, top.node)) labels.push(`${top.label}/${child.label}`);
    }
  }
  return labels;
}

function errorRows(all: Row[]): Row[] {
  return all.filter((r) => r.item.contextValue === 'error');
}

describe('Azure ML views through a faulty network (the local workspace behind the fault proxy)', function () {
  this.timeout(300_000);
  let w: FaultyWorkspace;
  let api: AzureMlExtensionApi;
  let dataDir: string;
  const expected = new Map<string, string[]>();


  before(async () => {
    // Timeouts stay the extension's own; stalls are left to the plain-Node fault suite.
    w = await startFaultyWorkspace({ seed: 30, rate: 0.15, kinds: ['drop', 'status500', 'status503', 'throttle429'] }, { seed: 'demo' });
    // A data folder whose discovery file sends the extension through the proxies.
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'azml-faulty-views-'));
    await writeDiscoveryFile(dataDir, w.connection);
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    w.schedule.enabled = false;
    assert.equal(await vscode.commands.executeCommand('azureml.useLocalWorkspace'), 'local');
    for (const [name, view] of Object.entries({ datastores: api.views.datastores, experiments: api.views.experiments, models: api.views.models })) {
      expected.set(name, await outline(view));
    }
    w.schedule.enabled = true;
  });

  after(async () => {
    console.log(w?.schedule.summary());
    await w?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('with 15% of requests faulted, every view shows what the workspace has: never empty, never an error', async () => {
    assert.ok(expected.get('datastores')!.includes('workspaceblobstore/datasets'));
    for (let round = 0; round < 3; round++) {
      for (const [name, view] of Object.entries({ datastores: api.views.datastores, experiments: api.views.experiments, models: api.views.models })) {
        view.refresh();
        assert.deepEqual(await outline(view), expected.get(name), `${name} view, round ${round}`);
      }
    }
    assert.ok(w.schedule.faultTotal > 0, 'faults were injected');
  });

  it('a view whose service keeps failing shows an error item with Retry; Retry brings the items back', async () => {
    const failing = await w.schedule.withOptions({ rate: 1, kinds: ['status503'], maxFaultsInARow: 1_000, target: /^arm GET [^ ]*\/datastores\?/ }, async () => {
      api.views.datastores.refresh();
      return rows(api.views.datastores);
    });
    const errors = errorRows(failing);
    assert.equal(failing.length, 1, `one error item instead of the datastores: ${failing.map((r) => r.label).join(', ')}`);
    assert.equal(errors[0]?.item.description, 'Retry');
    const retry = errors[0]!.item.command!;
    await vscode.commands.executeCommand(retry.command, ...(retry.arguments ?? []));
    assert.deepEqual(await outline(api.views.datastores), expected.get('datastores'));
  });

  it('a folder whose listing is cut off every time shows an error item with Retry, not "not running"; Retry lists it', async () => {
    const blob = (await rows(api.views.datastores)).find((r) => r.label === 'workspaceblobstore')!;
    const failing = await w.schedule.withOptions({ rate: 1, kinds: ['drop'], maxFaultsInARow: 1_000, target: /^blob GET [^ ]*comp=list/ }, async () => {
      api.views.datastores.refresh(blob.node as never);
      return rows(api.views.datastores, blob.node);
    });
    const errors = errorRows(failing);
    assert.equal(failing.length, 1, `one error item instead of the folders: ${failing.map((r) => r.label).join(', ')}`);
    assert.doesNotMatch(errors[0]!.label, /not running/);
    assert.equal(errors[0]!.item.description, 'Retry');
    const retry = errors[0]!.item.command!;
    await vscode.commands.executeCommand(retry.command, ...(retry.arguments ?? []));
    assert.deepEqual((await rows(api.views.datastores, blob.node)).map((r) => `workspaceblobstore/${r.label}`),
      expected.get('datastores')!.filter((l) => l.startsWith('workspaceblobstore/')));
  });
});
