// Another extension's view of the installed (packaged) Azure ML extension.
'use strict';

const assert = require('node:assert/strict');
const vscode = require('vscode');

describe('the installed Azure ML extension, seen from another extension', () => {
  it('activates and hands out nothing: no connections, forms, runs or prompts', async () => {
    const extension = vscode.extensions.getExtension('azureml-workbench.azureml-workbench');
    assert.ok(extension, 'the .vsix is installed');
    const exported = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(exported, undefined, `activate() returned ${exported && Object.keys(exported).join(', ')}`);
    assert.equal(extension.exports, undefined);
  });
});
