// Where the VS Code host machinery lives on disk. Everything downloaded or installed stays
// under .vscode-test/ (gitignored); screenshots go under test-results/ (gitignored).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const vscodeTestDir = join(repoRoot, '.vscode-test');
export const codeServerInstallDir = join(vscodeTestDir, 'code-server');
export const codeServerPackageDir = join(codeServerInstallDir, 'node_modules', 'code-server');
export const codeServerEntry = join(codeServerPackageDir, 'out', 'node', 'entry.js');
export const installRecordPath = join(codeServerInstallDir, 'installed.json');
export const nodeHeadersDir = join(vscodeTestDir, 'node-headers');
export const screenshotsDir = join(repoRoot, 'test-results', 'screenshots');

/** Node 24 from the project's devDependency `node` (code-server refuses older Node). */
export const node24Path = join(repoRoot, 'node_modules', '.bin', 'node');

/**
 * Throws a readable error when code-server or Chromium is missing, so a test run fails with
 * the remedy instead of a spawn error. `browser: false` checks only what code-server needs.
 */
export function assertHostInstalled({ browser = true } = {}) {
  const missing = [];
  if (browser && !existsSync(CHROMIUM_PATH)) missing.push(`Chromium (${CHROMIUM_PATH})`);
  if (!existsSync(codeServerEntry) || readInstallRecord()?.version !== CODE_SERVER_VERSION) {
    missing.push(`code-server ${CODE_SERVER_VERSION} (${codeServerInstallDir})`);
  }
  if (!existsSync(node24Path)) missing.push(`Node 24 (${node24Path}; run npm ci)`);
  if (missing.length > 0) {
    throw new Error(
      `The VS Code test host is not installed: missing ${missing.join(', ')}. ` +
        'Run `node scripts/vscode-host/install.mjs` first.',
    );
  }
}

export function readInstallRecord() {
  try {
    return JSON.parse(readFileSync(installRecordPath, 'utf8'));
  } catch {
    return undefined;
  }
}
