// Packages the extension into dist/azureml-workbench.vsix (`npm run package`: a minified build
// through `vscode:prepublish`, then vsce with the .vscodeignore allowlist), or reuses a .vsix
// that is newer than everything that goes into it.
//
//   node scripts/package.mjs [--reuse-fresh]
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const vsixPath = path.join(repoRoot, 'dist', 'azureml-workbench.vsix');

/** What ends up in the .vsix, directly or through the bundle. */
const INPUTS = ['src/**/*.ts', 'media/**', 'package.json', 'package.nls*.json', 'l10n/*.json', 'package-lock.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'scripts/build.mjs'];

/** True when the .vsix exists and no input changed after it was written. */
export function isVsixFresh() {
  if (!existsSync(vsixPath)) return false;
  const built = statSync(vsixPath).mtimeMs;
  return INPUTS.every((pattern) =>
    globSync(pattern, { cwd: repoRoot }).every((file) => statSync(path.join(repoRoot, file)).mtimeMs <= built));
}

/**
 * Runs `npm run package` and returns the .vsix path. With `reuseFresh`, a .vsix newer than all
 * its inputs is returned as it is.
 * @param {{ reuseFresh?: boolean, log?: (line: string) => void }} [options]
 */
export function packageExtension({ reuseFresh = false, log = () => {} } = {}) {
  if (reuseFresh && isVsixFresh()) {
    log(`Reusing ${path.relative(repoRoot, vsixPath)} (newer than its sources).`);
    return vsixPath;
  }
  log('Packaging the extension (minified build, then vsce)…');
  const result = spawnSync('npm', ['run', '--silent', 'package'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (result.error) throw new Error(`npm run package could not start: ${result.error.message}`);
  if (result.status !== 0 || !existsSync(vsixPath)) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`npm run package failed (exit ${result.status ?? result.signal}):\n${tail}`);
  }
  log(`Packaged ${path.relative(repoRoot, vsixPath)} (${(statSync(vsixPath).size / 1024).toFixed(0)} KiB).`);
  return vsixPath;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    packageExtension({ reuseFresh: process.argv.includes('--reuse-fresh'), log: (line) => console.log(line) });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
