// `npm run demo`: the extension on a seeded local workspace, no Azure account needed.
// Packages the extension, starts the local workspace (data in .local-workspace/demo, kept across
// runs), then opens the extension on a demo folder: in VS Code when `code` is on PATH, otherwise
// in code-server for your browser. Ctrl-C stops everything it started.
//
//   npm run demo [-- [--port 8123] [--code-server]]
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalService } from './localServiceProcess.mjs';
import { packageExtension, repoRoot } from './package.mjs';

const demoDataDir = path.join(repoRoot, '.local-workspace', 'demo');
const demoFolder = path.join(repoRoot, '.local-workspace', 'demo-folder');
const codeServerStateDir = path.join(repoRoot, '.vscode-test', 'code-server-demo-state');
const vsCodeProfileDir = path.join(repoRoot, '.vscode-test', 'vscode-demo-profile');
/**
 * User settings of the demo's editor. The data folder is a machine setting (a folder's own
 * .vscode/settings.json cannot choose it), so it goes to the user settings of the demo's profile.
 */
const demoUserSettings = { 'azureml.local.dataFolder': demoDataDir };
const DEFAULT_PORT = 8123;

const usage = `Usage: npm run demo [-- [--port <port>] [--code-server]]
  --port         code-server's port on 127.0.0.1 (default ${DEFAULT_PORT})
  --code-server  use code-server in the browser even when VS Code's \`code\` is on PATH`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'code-server': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port wants a port number, got "${values.port}".\n${usage}`);
  return { port, forceCodeServer: values['code-server'] === true };
}

/** The folder the editor opens: a sample script, and the setting that connects to the local workspace when the views open. */
function writeDemoFolder() {
  mkdirSync(path.join(demoFolder, '.vscode'), { recursive: true });
  const settings = { 'azureml.local.autoConnect': true };
  writeFileSync(path.join(demoFolder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  const trainPy = path.join(demoFolder, 'train.py');
  if (!existsSync(trainPy)) writeFileSync(trainPy, SAMPLE_TRAIN_PY);
}

const SAMPLE_TRAIN_PY = `"""Trains the fraud classifier on the credit-card transactions dataset.

The local workspace's blob datastore holds the data under datasets/credit-card-transactions/.
"""
import argparse

import mlflow
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="datasets/credit-card-transactions")
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--n-estimators", type=int, default=200)
    args = parser.parse_args()

    train = pd.read_csv(f"{args.data}/train.csv")
    test = pd.read_csv(f"{args.data}/test.csv")
    features = [c for c in train.columns if c != "is_fraud"]

    model = GradientBoostingClassifier(learning_rate=args.learning_rate, n_estimators=args.n_estimators)
    model.fit(train[features], train["is_fraud"])
    auc = roc_auc_score(test["is_fraud"], model.predict_proba(test[features])[:, 1])

    mlflow.log_params(vars(args))
    mlflow.log_metric("auc", auc)
    mlflow.sklearn.log_model(model, "model")


if __name__ == "__main__":
    main()
`;

/** VS Code's `code` command, when it is on PATH. */
function findVsCodeCli() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'code.cmd' : 'code');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(
      `Port ${port} on 127.0.0.1 is in use (another demo still running?). Stop it, or pick another: npm run demo -- --port <port>`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(undefined)));
  });
}

/**
 * Installs the .vsix into a VS Code profile of its own (.vscode-test/vscode-demo-profile, whose
 * user settings point at the demo data) and opens the demo folder; VS Code runs on its own after that.
 */
function openInVsCode(code, vsix) {
  const userDataDir = path.join(vsCodeProfileDir, 'user-data');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(demoUserSettings, null, 2) + '\n');
  const profile = ['--user-data-dir', userDataDir, '--extensions-dir', path.join(vsCodeProfileDir, 'extensions')];
  for (const args of [[...profile, '--install-extension', vsix, '--force'], [...profile, demoFolder]]) {
    const result = spawnSync(code, args, { stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) throw new Error(`${code} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
  }
  return {
    where: `VS Code, on ${demoFolder} (trust the folder if VS Code asks)`,
    /** @type {Promise<{ reason: string, detail?: string }>} */ exited: new Promise(() => {}),
    stop: async () => {},
  };
}

/** code-server into .vscode-test/ on first use (about 2 minutes); no Chromium: the user brings a browser. */
async function installCodeServer() {
  const { ensureHostInstalled } = await import('./vscode-host/install.mjs');
  ensureHostInstalled({ browser: false, log: (line) => console.log(line) });
}

/** Starts code-server with the .vsix, on the demo folder, without the test driver, behind a new password. */
async function openInCodeServer(vsix, port) {
  const { startCodeServer } = await import('./vscode-host/codeServer.mjs');
  const output = [];
  console.log('Starting code-server…');
  const server = await startCodeServer({
    folder: demoFolder,
    vsixPaths: [vsix],
    testDriver: false,
    auth: 'password',
    settings: demoUserSettings,
    port,
    dataDir: codeServerStateDir,
    log: (line) => {
      output.push(line);
      if (output.length > 30) output.shift();
    },
  });
  return {
    where: `your browser: ${server.workbenchUrl()}`,
    password: server.password,
    exited: server.exited.then((code) => ({ reason: `code-server exited (${code})`, detail: output.join('\n') })),
    stop: () => server.stop(),
  };
}

/** Resolves on the first Ctrl-C (or SIGTERM/SIGHUP); a second one exits at once. */
function untilSignal() {
  return new Promise((resolve) => {
    let received = false;
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(signal, () => {
        if (received) process.exit(130);
        received = true;
        resolve({ reason: 'signal' });
      });
    }
  });
}

async function main() {
  const { port, forceCodeServer } = parseOptions();
  const signalled = untilSignal();
  const code = forceCodeServer ? undefined : findVsCodeCli();
  if (!code) {
    await assertPortFree(port);
    await installCodeServer();
  }
  const vsix = packageExtension({ reuseFresh: true, log: (line) => console.log(line) });
  writeDemoFolder();

  console.log(`Starting the local workspace (data in ${demoDataDir})…`);
  const local = await startLocalService({ dataDir: demoDataDir, seed: 'demo' });
  const localStopped = local.exited.then((code) => ({ reason: `the local workspace stopped (${code})`, detail: local.recentLog().join('\n') }));

  let editor;
  try {
    const starting = Promise.resolve().then(() => (code ? openInVsCode(code, vsix) : openInCodeServer(vsix, port)));
    const first = await Promise.race([starting.then((started) => ({ started })), localStopped, signalled]);
    if (!('started' in first)) {
      editor = await starting.catch(() => undefined);
      return failIfUnexpected(first);
    }
    editor = first.started;
    console.log('');
    console.log('Azure ML Workbench demo');
    console.log(`  Open:            ${editor.where}`);
    if (editor.password) console.log(`  Password:        ${editor.password} (new each run)`);
    console.log('                   then click the Azure ML icon in the activity bar.');
    console.log(`  Local workspace: "${local.ready.workspace}" at ${local.ready.armEndpoint}`);
    console.log(`  Its data:        ${demoDataDir} (kept across runs)`);
    console.log('  Ctrl-C stops the demo.');
    failIfUnexpected(await Promise.race([signalled, localStopped, editor.exited]));
  } finally {
    console.log('\nStopping…');
    await editor?.stop();
    await local.stop();
  }
}

/** @param {{ reason: string, detail?: string }} outcome */
function failIfUnexpected(outcome) {
  if (outcome.reason !== 'signal') throw new Error(`${outcome.reason}${outcome.detail ? `\n${outcome.detail}` : ''}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
