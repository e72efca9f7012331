// Entry point for running an extension's suite through @vscode/test-electron's runTests().
// Where VS Code can be downloaded (VSCODE_HOST_DOWNLOAD=1), runTests() fetches and launches it;
// otherwise runTests() launches scripts/vscode-host/vscodeExecutableShim.mjs, which runs the same
// suite in code-server (see scripts/vscode-host/runMochaInHost.mjs).
//
//   node test/runInElectron.mjs --extensionDevelopmentPath <dir> --extensionTestsPath <module> \
//     [--folder <workspace>] [--env KEY=VALUE ...]
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseHostArgs } from '../scripts/vscode-host/runMochaInHost.mjs';

export const shimPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'vscode-host', 'vscodeExecutableShim.mjs');

/**
 * @param {{ extensionDevelopmentPath: string, extensionTestsPath: string, workspaceFolder?: string,
 *   env?: Record<string, string>, downloadVSCode?: boolean }} options
 * @returns {Promise<number>} the suite's exit code (0 = all passed)
 */
export async function runExtensionTests(options) {
  const downloadVSCode = options.downloadVSCode ?? process.env.VSCODE_HOST_DOWNLOAD === '1';
  try {
    return await runTests({
      extensionDevelopmentPath: resolve(options.extensionDevelopmentPath),
      extensionTestsPath: resolve(options.extensionTestsPath),
      launchArgs: options.workspaceFolder ? [resolve(options.workspaceFolder)] : [],
      extensionTestsEnv: options.env,
      ...(downloadVSCode ? {} : { vscodeExecutablePath: shimPath }),
    });
  } catch (error) {
    if (error instanceof TestRunFailedError) return error.code ?? 1;
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { extensionDevelopmentPath, extensionTestsPath, workspaceFolder, env } = parseHostArgs(process.argv.slice(2));
  runExtensionTests({ extensionDevelopmentPath, extensionTestsPath, workspaceFolder, env }).then(
    (code) => {
      console.log(`runTests() resolved ${code}`);
      process.exitCode = code;
    },
    (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
