// extensionTestsPath of `npm run bench:activation`: times the extension's activation (loading
// dist/extension.js and running activate()) in this extension host, and writes the figure to
// $AZML_BENCH_ACTIVATION_FILE.
'use strict';

const fs = require('node:fs');
const vscode = require('vscode');

exports.run = async () => {
  const extension = vscode.extensions.getExtension('azureml-workbench.azureml-workbench');
  if (!extension) throw new Error('The extension is not loaded in this host.');
  if (extension.isActive) throw new Error('The extension was already active: nothing to time.');
  const started = performance.now();
  await extension.activate();
  const activationMs = performance.now() - started;
  fs.writeFileSync(process.env.AZML_BENCH_ACTIVATION_FILE, JSON.stringify({ activationMs }));
  // The host runner reads counts from here; one "test" passed.
  if (process.env.VSCODE_HOST_RESULTS_FILE) fs.writeFileSync(process.env.VSCODE_HOST_RESULTS_FILE, JSON.stringify({ passed: 1, failed: 0, skipped: 0 }));
};
