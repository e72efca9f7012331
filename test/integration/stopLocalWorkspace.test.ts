import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { AzureMlExtensionApi } from '../../src/extension';
import { readDiscoveryFile, writeDiscoveryFile } from '../../src/local/discovery';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { isAlive } from '../support/processes';
import { extensionApi } from './treeAccess';

describe('Stop Local Workspace in a real extension host', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace | undefined;
  let sleeper: ChildProcess | undefined;
  let api: AzureMlExtensionApi;

  before(async () => {
    api = await extensionApi();
  });
  afterEach(async () => {
    sleeper?.kill('SIGKILL');
    sleeper = undefined;
    await local?.dispose();
    local = undefined;
  });

  it('stops a service started outside VS Code, through its endpoint', async () => {
    local = await startLocalWorkspace();
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('azureml.useLocalWorkspace'), 'local');
    await vscode.commands.executeCommand('azureml.stopLocalWorkspace');
    assert.equal(await local.exited, 0);
    assert.equal(api.connections.kind, undefined);
  });

  it('a discovery file left by a crashed service, its pid now another process: that process is not signalled', async () => {
    local = await startLocalWorkspace();
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    const stale = await readDiscoveryFile(local.dataDir);
    await local.stop();
    sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
    await writeDiscoveryFile(local.dataDir, { ...stale, pid: sleeper.pid! });
    // The extension takes a file whose pid is alive for a running service (it connects lazily).
    assert.equal(await vscode.commands.executeCommand('azureml.useLocalWorkspace'), 'local');

    await vscode.commands.executeCommand('azureml.stopLocalWorkspace');
    assert.ok(isAlive(sleeper), 'Stop Local Workspace left the unrelated process alone');
    assert.equal(api.connections.kind, undefined, 'and disconnected from the dead service');

    await assert.rejects(api.connections.stopLocal(),
      new RegExp(`Nothing was stopped: .*local-workspace\\.json names process ${sleeper.pid} at ${stale.armEndpoint}, but no local workspace answers there \\(ECONNREFUSED\\).*no process was signalled`));
    assert.ok(isAlive(sleeper));
  });
});
