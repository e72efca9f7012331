// AzCopy for the bench and the peer tests: the binary that npm's @azure-tools/azcopy-linux ships
// (the package the Azure Storage extension uses), installed on first use into .vscode-test/peers,
// outside the project's dependencies.
//
//   node scripts/peers/azcopy.mjs     installs it if needed and prints the binary's path
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const azcopyVersion = '10.32.2';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const peersDir = path.join(root, '.vscode-test', 'peers');

function installedBinary() {
  try {
    // The package names its binary (as the Azure Storage extension reads it); npm leaves it without the execute bit.
    const { AzCopyExe } = createRequire(path.join(peersDir, 'package.json'))('@azure-tools/azcopy-linux');
    chmodSync(AzCopyExe, 0o755);
    return AzCopyExe;
  } catch {
    return undefined;
  }
}

/** The AzCopy binary, installed from npm when missing; undefined when that failed (npm's reason went to stderr). */
export function azcopyBinary({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const found = installedBinary();
  if (found) return found;
  log(`Installing AzCopy (@azure-tools/azcopy-linux@${azcopyVersion}) into ${path.relative(root, peersDir)} …`);
  mkdirSync(peersDir, { recursive: true });
  const npm = spawnSync('npm', ['install', '--prefix', peersDir, '--no-save', '--no-audit', '--no-fund', `@azure-tools/azcopy-linux@${azcopyVersion}`],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 5 * 60_000 });
  return npm.status === 0 ? installedBinary() : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const binary = azcopyBinary();
  if (!binary) {
    console.error(`AzCopy could not be installed from npm (@azure-tools/azcopy-linux@${azcopyVersion}).`);
    process.exit(1);
  }
  console.log(binary);
}
