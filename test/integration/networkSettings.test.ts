import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AzureMlExtensionApi } from '../../src/extension';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { eventually, extensionApi, rows } from './treeAccess';

/** VS Code's own http.* settings reach the extension's clients, and are read again when changed. */
describe('VS Code network settings (http.proxy) in a real extension host', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  const http = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('http');

  async function workspaceRows(): Promise<string[]> {
    api.views.workspaces.refresh();
    return (await rows(api.views.workspaces)).map((r) => r.label);
  }

  before(async () => {
    local = await startLocalWorkspace();
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
  });
  after(async () => {
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await local?.dispose();
  });

  it('a malformed http.proxy fails the view with one message saying how to fix it; fixing it lists again', async () => {
    assert.deepEqual(await workspaceRows(), ['Local subscription']);

    await http().update('proxy', 'user:secret@proxy.corp:8080', vscode.ConfigurationTarget.Global);
    const refused = await eventually(async () => {
      const labels = await workspaceRows();
      return labels[0]?.startsWith('The http.proxy setting') ? labels : undefined;
    }, 'the view to show the http.proxy error');
    assert.deepEqual(refused, ['The http.proxy setting is not a proxy URL. Use the form http://proxy.example:8080.']);

    // A well-formed proxy: the local workspace is on loopback, which never goes through it.
    await http().update('proxy', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    const listed = await eventually(async () => {
      const labels = await workspaceRows();
      return labels[0] === 'Local subscription' ? labels : undefined;
    }, 'the view to list again');
    assert.deepEqual(listed, ['Local subscription']);
  });
});
