// The fixture extension and a workspace for it, shared by the harness's self-tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

export const fixtureExtensionPath = join(here, 'fixture-extension');
export const fixtureTestsPath = join(fixtureExtensionPath, 'suite', 'index.js');
export const FIXTURE_CONTAINER_TITLE = 'Fixture Explorer';
export const FIXTURE_VIEW_NAME = 'Fixture Items';

/**
 * A temp folder for the workbench to open, holding README.txt, plus the environment the
 * fixture's tests expect. `dispose()` removes the folder.
 * @param {string} greeting what the fixture's command answers with ("Hello from <greeting>")
 */
export function createFixtureWorkspace(greeting) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'vscode-host-fixture-')));
  const folder = join(root, 'workspace');
  mkdirSync(folder);
  writeFileSync(join(folder, 'README.txt'), 'This is the fixture workspace.\n');
  return {
    root,
    folder,
    env: { VSCODE_HOST_FIXTURE_GREETING: greeting, VSCODE_HOST_FIXTURE_WORKSPACE: folder },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Packages the fixture extension with vsce into `dir` and returns the .vsix path. */
export function packageFixtureVsix(dir) {
  const vsix = join(dir, 'vscode-host-fixture.vsix');
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix],
    { cwd: fixtureExtensionPath, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) throw new Error(`vsce package failed:\n${result.stdout}${result.stderr}`);
  return vsix;
}
