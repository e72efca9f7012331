'use strict';

const assert = require('node:assert/strict');
const vscode = require('vscode');

describe('fixture extension in a real extension host', () => {
  it('runs its command and answers with the greeting passed in through the environment', async () => {
    const extension = vscode.extensions.getExtension('vscode-host-fixture.vscode-host-fixture');
    assert.ok(extension, 'the fixture extension is loaded from extensionDevelopmentPath');
    await extension.activate();

    const answer = await vscode.commands.executeCommand('vscodeHostFixture.sayHello');

    assert.ok(process.env.VSCODE_HOST_FIXTURE_GREETING, 'the runner passed VSCODE_HOST_FIXTURE_GREETING');
    assert.equal(answer, `Hello from ${process.env.VSCODE_HOST_FIXTURE_GREETING}`);
  });

  it('opens the workspace folder given to the runner and reads a file from it', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);

    const readme = vscode.Uri.joinPath(folders[0].uri, 'README.txt');
    const document = await vscode.workspace.openTextDocument(readme);

    assert.equal(folders[0].uri.fsPath, process.env.VSCODE_HOST_FIXTURE_WORKSPACE);
    assert.match(document.getText(), /fixture workspace/);
  });

  if (process.env.VSCODE_HOST_FIXTURE_FAIL === '1') {
    it('fails on purpose (VSCODE_HOST_FIXTURE_FAIL=1) to prove failures are reported', () => {
      assert.equal(1 + 1, 3, 'deliberate failure');
    });
  }
});
