// Starts code-server (a real VS Code server with its Node extension host) on 127.0.0.1 with
// throw-away folders, and stops it together with every helper process it started.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertHostInstalled, codeServerEntry, node24Path } from './paths.mjs';

export const HOST = '127.0.0.1';

/** User settings every session starts with: quiet, no welcome page, no telemetry. */
export const DEFAULT_SETTINGS = Object.freeze({
  'workbench.colorTheme': 'Dark 2026',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.openRepositoryInParentFolders': 'never',
});

/** With `workspaceTrust`: trust on, and an untrusted folder opens in Restricted Mode without asking. */
const TRUST_SETTINGS = Object.freeze({
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
});

const liveServers = new Set();
process.on('exit', () => {
  // Last resort when the caller forgot stop() or the process is exiting on an error.
  for (const server of liveServers) killGroup(server.pid, 'SIGKILL');
});

/**
 * @typedef {object} CodeServerOptions
 * @property {string} [folder] Folder opened when a browser visits the root URL.
 * @property {string} [cwd] Working folder of the server and so of the extension host (default: this
 *   process's), e.g. one with no node_modules anywhere above it.
 * @property {Record<string, string>} [env] Extra environment for the server; the extension host
 *   inherits the server's environment, so this is how test configuration reaches extensions.
 * @property {Record<string, unknown>} [settings] User settings merged over DEFAULT_SETTINGS.
 * @property {string[]} [vsixPaths] Packaged extensions to install before starting.
 * @property {boolean} [testDriver] Start with the smoke-test driver so the workbench honours
 *   extensionTestsPath and calls codeAutomationExit (default true; false for a person's demo).
 * @property {number} [port] Port to bind on 127.0.0.1 (default: a free one).
 * @property {'none' | 'password'} [auth] 'password' (a person's session, e.g. the demo): a new
 *   random password, in `server.password`, guards the workbench and its terminal from other users
 *   of this machine. 'none' (default): test sessions, which nobody else opens during their run.
 * @property {boolean} [workspaceTrust] Turn workspace trust on: the folder opens in Restricted
 *   Mode, with no prompt (default false: trust is off, as tests want).
 * @property {string} [dataDir] Folder for user data, extensions and XDG dirs (default: a new
 *   temp folder, removed by stop()). A given folder is kept.
 * @property {(line: string) => void} [log] Receives code-server's own output lines.
 * @property {number} [startTimeoutMs] How long to wait for /healthz (default 60 s).
 * @property {string} [locale] Display language (`--locale`, e.g. `nl`): extensions get it as vscode.env.language
 *   and their package.nls / l10n bundles for it. VS Code's own UI stays English (see declareDisplayLanguage).
 */

/**
 * @typedef {object} RunningCodeServer
 * @property {string} url Base URL, e.g. http://127.0.0.1:34567
 * @property {number} port
 * @property {number} pid Leader of the server's process group.
 * @property {string} [password] The login password, with `auth: 'password'`.
 * @property {string} dataDir
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {(folder?: string, extensionPaths?: WorkbenchExtensionPaths) => string} workbenchUrl
 *   URL of the workbench opened on a folder (default: the server's folder), optionally loading an
 *   extension from source and running its tests (the latter needs testDriver).
 * @property {(absolutePath: string) => string} remoteUri vscode-remote:// URI of a server-side path.
 * @property {Promise<number | string | null>} exited Settles when the server's entry process exits
 *   (its exit code or signal), e.g. to notice a crash while waiting on something else.
 * @property {() => Promise<void>} stop Stops the whole process group and removes temp folders.
 */

/**
 * @typedef {object} WorkbenchExtensionPaths
 * @property {string} [extensionDevelopmentPath] Absolute path of an extension to load from source.
 * @property {string} [extensionTestsPath] Absolute path of a module exporting run().
 */

/**
 * `--locale` alone is ignored without a language pack for that language (the workbench falls back
 * to English, and so do extensions). Microsoft's packs can't be downloaded here, so this declares
 * one in the server's languagepacks.json with no translations of VS Code itself: the workbench then
 * runs in that language, extensions' package.nls.<locale>.json and l10n bundles apply, and VS
 * Code's own strings stay English.
 * @param {string} userDataDir
 * @param {string} locale
 */
function declareDisplayLanguage(userDataDir, locale) {
  const translations = join(userDataDir, `display-language-${locale}.i18n.json`);
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({
    [locale]: {
      hash: `test-${locale}-1`,
      extensions: [{ extensionIdentifier: { id: `test.language-pack-${locale}` }, version: '1.0.0' }],
      translations: { vscode: translations },
      label: locale,
    },
  }));
}

/**
 * Starts code-server and resolves once /healthz answers.
 * @param {CodeServerOptions} [options]
 * @returns {Promise<RunningCodeServer>}
 */
export async function startCodeServer(options = {}) {
  assertHostInstalled({ browser: false });
  const { folder, env = {}, settings = {}, vsixPaths = [], testDriver = true, auth = 'none', workspaceTrust = false, log = () => {} } = options;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vscode-host-'));
  const dirs = {
    userData: join(dataDir, 'user-data'),
    extensions: join(dataDir, 'extensions'),
    xdgConfig: join(dataDir, 'xdg', 'config'),
    xdgData: join(dataDir, 'xdg', 'data'),
    xdgCache: join(dataDir, 'xdg', 'cache'),
    tmp: join(dataDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const settingsText = JSON.stringify({ ...DEFAULT_SETTINGS, ...(workspaceTrust ? TRUST_SETTINGS : {}), ...settings }, null, 2) + '\n';
  // The workbench is a remote window: it reads machine-scoped settings (e.g. a data folder) only
  // from the server's Machine settings, the rest from User; both get the same settings.
  if (options.locale && !options.locale.startsWith('en')) declareDisplayLanguage(dirs.userData, options.locale);
  for (const kind of ['User', 'Machine']) {
    mkdirSync(join(dirs.userData, kind), { recursive: true });
    writeFileSync(join(dirs.userData, kind, 'settings.json'), settingsText);
  }

  const serverEnv = {
    ...process.env,
    // An empty gallery turns the marketplace off: no lookups leave this machine.
    EXTENSIONS_GALLERY: '{}',
    ...env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    // VS Code puts its IPC sockets (vscode-ipc-*, vscode-git-*) in the temp folder; keep them
    // in ours so stop() removes them.
    TMPDIR: dirs.tmp,
  };
  // code-server reads these as configuration; never let the caller's shell leak them in.
  for (const name of ['PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'PORT', 'CODE_SERVER_CONFIG', 'VSCODE_PROXY_URI']) {
    delete serverEnv[name];
  }
  const password = auth === 'password' ? randomBytes(18).toString('base64url') : undefined;
  // In a config file only its owner reads, not $PASSWORD: the extension host and terminals inherit the environment.
  const configFile = password ? join(dataDir, 'config.yaml') : '/dev/null';
  if (password) {
    rmSync(configFile, { force: true });
    writeFileSync(configFile, `password: ${password}\n`, { mode: 0o600 });
  }
  const profileArgs = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  try {
    for (const vsix of vsixPaths) installVsix(vsix, profileArgs, serverEnv);
  } catch (error) {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const port = options.port ?? (await findFreePort());
  const args = [
    codeServerEntry,
    ...profileArgs,
    '--bind-addr',
    `${HOST}:${port}`,
    '--auth',
    password ? 'password' : 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--reconnection-grace-time',
    '5',
    ...(testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.locale ? ['--locale', options.locale] : []),
    ...(folder ? [folder] : []),
  ];
  // detached: its own process group, so stop() reaches the file watcher, the extension host
  // and every other helper, not only the entry process.
  const child = spawn(node24Path, args, { env: serverEnv, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const onLine = (line) => {
    output.push(line);
    if (output.length > 200) output.shift();
    log(line);
  };
  forwardLines(child.stdout, onLine);
  forwardLines(child.stderr, onLine);

  const url = `http://${HOST}:${port}`;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let stopped;
  const server = {
    url,
    port,
    pid: /** @type {number} */ (child.pid),
    ...(password ? { password } : {}),
    dataDir,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    exited,
    workbenchUrl: (workbenchFolder = folder, extensionPaths = {}) => workbenchUrl(server, workbenchFolder, extensionPaths),
    remoteUri: (absolutePath) => `vscode-remote://${HOST}:${port}${pathToFileURL(absolutePath).pathname}`,
    stop: () => (stopped ??= stopServer(child, ownsDataDir ? dataDir : undefined).finally(() => liveServers.delete(server))),
  };
  liveServers.add(server);

  try {
    await waitForHealthz(url, child, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await server.stop();
    const tail = output.slice(-20).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail ? `\ncode-server output:\n${tail}` : ''}`);
  }
  return server;
}

/**
 * @param {{ url: string, remoteUri: (path: string) => string }} server
 * @param {string | undefined} folder
 * @param {WorkbenchExtensionPaths} extensionPaths
 */
function workbenchUrl(server, folder, { extensionDevelopmentPath, extensionTestsPath }) {
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(folder)}`);
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', server.remoteUri(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(extensionTestsPath)]);
  if (payload.length > 0) {
    payload.push(['skipWelcome', 'true']);
    query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  }
  return `${server.url}/${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

function installVsix(vsix, profileArgs, env) {
  const result = spawnSync(node24Path, [codeServerEntry, ...profileArgs, '--force', '--install-extension', vsix], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`Installing ${vsix} into code-server failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

async function stopServer(child, dataDirToRemove) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    killGroup(child.pid, 'SIGTERM');
    const timer = delay(5_000);
    await Promise.race([exited, timer.promise]);
    timer.cancel();
  }
  // Helpers that ignored SIGTERM or outlived the leader are still in the group.
  killGroup(child.pid, 'SIGKILL');
  if (dataDirToRemove) rmSync(dataDirToRemove, { recursive: true, force: true, maxRetries: 3 });
}

function killGroup(pid, signal) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ESRCH') throw error;
  }
}

async function waitForHealthz(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited during startup (${child.exitCode ?? child.signalCode})`);
    }
    if (await healthzAnswers(`${url}/healthz`)) return;
    await delay(200).promise;
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${Math.round(timeoutMs / 1000)} s`);
}

function healthzAnswers(url) {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Calls onLine for each line a stream prints (the last one too, without a newline). */
export function forwardLines(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}

function delay(ms) {
  let timer;
  const promise = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
