// Fixture extension for the VS Code host harness: one command and one tree view.
'use strict';

const vscode = require('vscode');

/** The greeting comes from the environment so a test can prove env vars reach the host. */
function greeting() {
  return `Hello from ${process.env.VSCODE_HOST_FIXTURE_GREETING ?? 'the fixture'}`;
}

class FixtureItemsProvider {
  getTreeItem(label) {
    const item = new vscode.TreeItem(label);
    item.id = `fixture:${label}`;
    item.contextValue = 'fixtureItem';
    item.command = { command: 'vscodeHostFixture.sayHello', title: 'Say Hello' };
    return item;
  }

  getChildren() {
    return ['Alpha item', 'Beta item'];
  }
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('vscodeHostFixture.sayHello', () => {
      const message = greeting();
      void vscode.window.showInformationMessage(message);
      return message;
    }),
    vscode.window.registerTreeDataProvider('vscodeHostFixture.items', new FixtureItemsProvider()),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
