#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches, on
// machines that cannot download VS Code: it takes the same --extensionDevelopmentPath /
// --extensionTestsPath arguments (and a workspace folder from launchArgs) and runs the suite
// in code-server instead. VS Code's other flags (--no-sandbox, --user-data-dir=..., ...) are
// ignored; the exit code is the suite's.
import { main } from './runMochaInHost.mjs';

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`vscode-host shim: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
